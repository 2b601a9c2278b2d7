"""Each process of a parallel test run gets its own Redis database, channel prefix and data
folder, once: the processes its tests start inherit them unchanged."""

from toolkit_project.settings.parallel_tests import isolate_parallel_worker


def test_a_parallel_worker_gets_its_own_redis_database_prefix_and_data_folder():
    environ = {
        "PYTEST_XDIST_WORKER": "gw1",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CHANNELS_PREFIX": "toolkit-test",
        "IGNITION_TOOLKIT_DATA": "/srv/data",
    }

    isolate_parallel_worker(environ)
    once = dict(environ)
    isolate_parallel_worker(environ)  # a process the test starts loads the settings again

    assert environ == once
    assert environ["REDIS_URL"] == "redis://127.0.0.1:6379/14"
    assert environ["CHANNELS_PREFIX"] == "toolkit-test-gw1"
    assert environ["IGNITION_TOOLKIT_DATA"] == "/srv/data/test-gw1"


def test_the_redis_database_wraps_below_zero():
    environ = {
        "PYTEST_XDIST_WORKER": "gw1",
        "REDIS_URL": "redis://h:6379/0",
        "CHANNELS_PREFIX": "t",
    }

    isolate_parallel_worker(environ)

    assert environ["REDIS_URL"] == "redis://h:6379/15"


def test_a_single_process_run_changes_nothing():
    environ = {"REDIS_URL": "redis://h:6379/15", "CHANNELS_PREFIX": "t"}

    isolate_parallel_worker(environ)

    assert environ == {"REDIS_URL": "redis://h:6379/15", "CHANNELS_PREFIX": "t"}
