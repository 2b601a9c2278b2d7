"""The four roles. Each is a Django group created by a migration; admins see everything."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin: everything, in every team"
    EDITOR = "editor", "Editor: create and change playbooks"
    OPERATOR = "operator", "Operator: run and control executions"
    VIEWER = "viewer", "Viewer: read only"
