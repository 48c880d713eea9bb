"""Repositories: every SELECT the services need, one module per aggregate."""
