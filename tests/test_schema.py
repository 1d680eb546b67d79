"""The committed SDL is the schema: a change to the API shows up in review."""

from schema.build import SDL_PATH, sdl


def test_committed_sdl_matches_the_schema() -> None:
    assert SDL_PATH.read_text() == sdl(), (
        "schema/schema.graphql is stale: run `tabel schema > schema/schema.graphql`"
    )
