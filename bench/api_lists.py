"""API list endpoints: latency percentiles, and query counts that must not grow with rows."""

from rest_framework.test import APIClient

from apps.accounts.models import Membership, Team, User
from bench.measure import percentiles, report, warm_query_count


def _client() -> tuple[APIClient, User]:
    user = User.objects.create_user("bench", password=None)
    client = APIClient()
    client.force_authenticate(user)
    return client, user


def _teams(user: User, count: int) -> None:
    start = Team.objects.count()
    teams = Team.objects.bulk_create(Team(name=f"Team {start + n}") for n in range(count))
    Membership.objects.bulk_create(Membership(user=user, team=team) for team in teams)


def run() -> None:
    client, user = _client()

    def teams():
        return client.get("/api/v1/teams/")

    _teams(user, 10)
    small = warm_query_count(teams)
    report("GET /api/v1/teams/ (10 teams)", percentiles(teams), p95_target=50)
    _teams(user, 490)
    large = warm_query_count(teams)
    report("GET /api/v1/teams/ (500 teams)", percentiles(teams), p95_target=50)
    report("GET /health/live", percentiles(lambda: client.get("/health/live")))
    constant = "met" if large == small else "MISSED"
    print(
        f"  queries per list page: {small} with 10 rows, {large} with 500 rows "
        f"(target constant: {constant})",
        flush=True,
    )
