"""The URL coverage check itself can fail: an unrequested route is reported."""

from comity.core.testing.url_coverage import iter_routes, missing_routes


def test_every_route_is_listed_and_unrequested_ones_are_reported() -> None:
    routes = set(iter_routes())
    assert "registry/states/<str:iso3>/" in routes
    assert "api/schema/" in routes
    missing = missing_routes(routes - {"api/schema/"})
    assert missing == ["api/schema/"]
    assert not any(route.startswith("admin/") for route in missing_routes(set()))


def test_router_routes_are_written_as_resolver_matches_write_them() -> None:
    from django.urls import resolve

    routes = set(iter_routes())
    assert resolve("/api/registry/states/FIN/").route in routes
    assert resolve("/api/core/audit/").route in routes
