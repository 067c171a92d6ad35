"""`studio mcp` and `studio user token create|revoke` (registered in studio/cli.py).

Imports stay inside the commands, so `studio --help` does not load the MCP SDK or the database.
"""

from __future__ import annotations

import typer

user_app = typer.Typer(help="Users: API tokens for MCP over HTTP.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (bearer tokens for `studio mcp --http`).", no_args_is_help=True)
user_app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(user: str = typer.Argument(..., metavar="USER"),
                 as_json: bool = typer.Option(False, "--json", help="print one JSON document on stdout")) -> None:
    """Make an API token for USER and print it once on stdout (only its hash is kept)."""
    from studio.cli import bad_input, emit_json
    from studio.review.queue import QueueError
    from studio.review.tokens import create_token

    try:
        made = create_token(user)
    except QueueError as exc:
        bad_input(str(exc))
    if as_json:
        emit_json(made)
        return
    typer.echo(made["token"])
    typer.echo(f"token {made['id']} for {made['user']} ({made['role']}); it is shown only now. "
               f"Revoke it with: studio user token revoke {made['id']}", err=True)


@token_app.command("revoke")
def token_revoke(token_id: str = typer.Argument(..., metavar="TOKEN_ID"),
                 as_json: bool = typer.Option(False, "--json", help="print one JSON document on stdout")) -> None:
    """Revoke an API token by its id (the next request with it is refused)."""
    from studio.cli import bad_input, emit_json
    from studio.review.queue import QueueError
    from studio.review.tokens import revoke_token

    try:
        revoked = revoke_token(token_id)
    except QueueError as exc:
        bad_input(str(exc))
    if as_json:
        emit_json(revoked)
    else:
        typer.echo(f"revoked {revoked['id']} ({revoked['user']}) at {revoked['revoked_at']}")


@token_app.command("list")
def token_list(user: str | None = typer.Argument(None, metavar="[USER]"),
               as_json: bool = typer.Option(False, "--json", help="print one JSON document on stdout")) -> None:
    """List API tokens (ids, users, when made and revoked; never the tokens themselves)."""
    from studio.cli import emit_json
    from studio.review.tokens import list_tokens

    tokens = list_tokens(user)
    if as_json:
        emit_json({"tokens": tokens})
        return
    for t in tokens:
        state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "live"
        typer.echo(f"{t['id']}  {t['user']:12} made {t['created_at']}  {state}")


def mcp_command(
    http: bool = typer.Option(False, "--http", help="streamable HTTP at /mcp with bearer tokens (default: stdio)"),
    host: str = typer.Option("127.0.0.1", "--host", help="with --http: the address to listen on"),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="with --http: the port"),
    user: str | None = typer.Option(None, "--user", envvar="STUDIO_USER",
                                    help="stdio: the user every tool call acts as"),
) -> None:
    """Serve Studio's services as MCP tools: stdio for one user, or streamable HTTP at /mcp with bearer tokens.

    Over HTTP each request's token (`studio user token create USER`) names the user it acts as.
    """
    from studio.cli import bad_input

    if http:
        if user:
            # STUDIO_USER may be set for other commands; over HTTP it would silently do nothing, so say so.
            bad_input("--user/STUDIO_USER is for stdio: over --http each request's bearer token names its user")
        from studio.config import get_settings
        from studio.review.users import NO_USERS, load_users

        if not load_users(get_settings().users_file):  # no token could name anyone
            bad_input(NO_USERS)
        from studio.mcp.server import build_server
        from studio.mcp.warmup import warm_up_in_background

        server = build_server(user=None, base_url=f"http://{host}:{port}")
        warm_up_in_background()
        server.run("streamable-http", host=host, port=port, streamable_http_path="/mcp")
        return
    if not user:
        bad_input("name the user the MCP server acts for: --user USER (or set STUDIO_USER)")
    from studio.review.queue import QueueError, ReviewQueue

    try:
        ReviewQueue().user(user)
    except QueueError as exc:
        bad_input(f"--user: {exc}")
    from studio.mcp.server import build_server

    build_server(user=user).run("stdio")
