"""Studio's services as MCP tools (official SDK, `mcp.server.mcpserver.MCPServer`).

Who acts: over stdio, the one user named in the server's configuration; over streamable HTTP, the user whose
API token (studio.review.tokens) the request carries as a bearer token: the SDK's bearer middleware refuses
a request without a live token (HTTP 401) before any tool runs. Each call runs its body (studio.mcp.tools)
in a worker thread with the audit trail's `via` set to "mcp", so every event the services append says where
it came from, and one `mcp_tool` event records the call itself (read-only ones too) with its outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

import anyio.to_thread
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from studio.mcp import tools

INSTRUCTIONS = (
    "Studio writes on-brand marketing copy, checks it for compliance and bias, labels it as AI-generated and "
    "queues it for a human reviewer. Typical round: list_kits -> show_kit_voice -> check_copy (a draft) -> "
    "generate_variants -> list_review_queue / show_variant -> decide_variant (reviewers only, naming the version "
    "you read). Errors come back as one line starting with 'error:'."
)
READ_ONLY = ToolAnnotations(read_only_hint=True)
VIA = "mcp"
Filter = Annotated[str | None, Field(description="only variants with this value")]


def one_line_error(exc: BaseException) -> str | None:
    """The line the CLI prints for a refused or bad request; None for a crash (the SDK then hides the details)."""
    from pydantic import ValidationError

    from studio.checks.command import InputError as CheckInputError

    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error.get("loc", ()) if p != "brief")
        message = str(error["msg"]).removeprefix("Value error, ")
        return f"error: {field}: {message}" if field else f"error: {message}"
    if isinstance(exc, (ValueError, PermissionError, CheckInputError)):
        lines = str(exc).strip().splitlines()
        return f"error: {lines[0] if lines else type(exc).__name__}"
    return None


def _result(data: dict) -> CallToolResult:
    import json

    return CallToolResult(content=[TextContent(text=json.dumps(data, ensure_ascii=False))], structured_content=data)


def _audit_call(user: str, tool: str, about: str | None, error: str | None) -> None:
    """The call's own audit event (with the audit's via already set by the caller's context)."""
    from studio.review import ReviewQueue

    detail = {"tool": tool, "outcome": "error" if error else "ok"}
    if error:
        detail["error"] = error
    ReviewQueue().record(actor=user, action="mcp_tool", variant_id=about, detail=detail)


def _run_as(user: str, tool: str, body: Callable[[str], dict], about: str | None) -> CallToolResult:
    """Runs in a worker thread: the body as `user`, audited as coming through MCP."""
    from studio.review import ReviewQueue
    from studio.review.audit import audit_via

    audit_via.set(VIA)  # this thread's context only: set for the body and the call's own event
    try:
        ReviewQueue().user(user)  # still a user (the users file may have changed since the token or the start)
        data = body(user)
    except Exception as exc:
        message = one_line_error(exc)
        _audit_call(user, tool, about, message or type(exc).__name__)
        if message is None:
            raise
        return CallToolResult(content=[TextContent(text=message)], is_error=True)
    _audit_call(user, tool, about, None)
    return _result(data)


def _refused_arguments(user: str, tool: str, about: str | None, message: str) -> CallToolResult:
    from studio.review.audit import audit_via

    audit_via.set(VIA)
    _audit_call(user, tool, about, message)
    return CallToolResult(content=[TextContent(text=message)], is_error=True)


class StudioMCPServer(MCPServer):
    """MCPServer that knows who acts, and answers arguments that fail a tool's schema with one line."""

    def __init__(self, user: str | None, **kwargs: Any):
        super().__init__("studio", instructions=INSTRUCTIONS, log_level="WARNING", **kwargs)
        self.studio_user = user

    def acting_user(self) -> str:
        if self.studio_user is not None:
            return self.studio_user
        token = get_access_token()
        if token is None:  # the bearer middleware lets no such request through; refuse all the same
            raise PermissionError("no API token: send 'Authorization: Bearer <token>' (studio user token create USER)")
        return token.client_id

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        from pydantic import ValidationError

        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            # The SDK's message for a schema failure is pydantic's multi-line report; the CLI's style is one line.
            if not isinstance(exc.__cause__, ValidationError):
                raise
            about = arguments.get("variant_id") if isinstance(arguments.get("variant_id"), str) else None
            return await anyio.to_thread.run_sync(_refused_arguments, self.acting_user(), name, about,
                                                  one_line_error(exc.__cause__))


class StudioTokenVerifier:
    """Bearer token -> the Studio user it was issued to (`studio user token create`), or None (HTTP 401)."""

    async def verify_token(self, token: str) -> AccessToken | None:
        from studio.review.tokens import user_for_token

        found = await anyio.to_thread.run_sync(user_for_token, token)
        if found is None:
            return None
        user, token_id = found
        return AccessToken(token=token, client_id=user.name, subject=user.name, scopes=[],
                           claims={"token_id": token_id, "role": user.role})


def build_server(*, user: str | None, base_url: str | None = None) -> StudioMCPServer:
    """The server; `user` for stdio (one configured user), None for HTTP (`base_url`: where it listens)."""
    if user is None:
        # resource_server_url=None: no OAuth metadata is advertised, since tokens come from `studio user token create`.
        server = StudioMCPServer(None, token_verifier=StudioTokenVerifier(),
                                 auth=AuthSettings(issuer_url=base_url, resource_server_url=None))

        @server.custom_route("/health", methods=["GET"])
        async def health(request):  # for load balancers and tests: no token needed, tells nothing about users
            from starlette.responses import JSONResponse

            return JSONResponse({"status": "ok"})
    else:
        server = StudioMCPServer(user)

    async def call(tool: str, body: Callable[..., dict], *, about: str | None = None, **arguments: Any) -> CallToolResult:
        """Run a tool body as the acting user; `about`: the variant the call concerns, for its audit event."""
        return await anyio.to_thread.run_sync(_run_as, server.acting_user(), tool, partial(body, **arguments), about)

    @server.tool(annotations=READ_ONLY)
    async def list_kits() -> CallToolResult:
        """List the brand kits: each kit's markets, languages, default channels and audience segments (with each
        segment's preferred channels), and every channel id Studio can write for."""
        return await call("list_kits", tools.list_kits)

    @server.tool(annotations=READ_ONLY)
    async def show_kit_voice(kit: Annotated[str, Field(description="kit id, from list_kits")]) -> CallToolResult:
        """Show a brand kit's voice (description, tone words, tones to avoid), vocabulary (preferred, banned and
        competitor terms, trademarks), claims (substantiated claims with their evidence, forbidden claims) and
        required disclosures per market."""
        return await call("show_kit_voice", tools.show_kit_voice, kit=kit)

    @server.tool(annotations=READ_ONLY)
    async def check_copy(
        text: Annotated[str, Field(description="the copy to check")],
        kit: Annotated[str | None, Field(description="kit id: adds the kit's banned terms, claims and voice")] = None,
        channel: Annotated[str | None, Field(description="channel id (e.g. sms, x, email): adds its limits")] = None,
        market: Annotated[str | None, Field(description="US, EU or CN: adds that market's rule pack")] = None,
        brief: Annotated[str | None, Field(description="the brief the copy must carry (turns on off_brief)")] = None,
        product: Annotated[str | None, Field(description="the product the brief names")] = None,
        offer: Annotated[str | None, Field(description="the offer the brief names")] = None,
    ) -> CallToolResult:
        """Check a text for compliance, bias and quality without generating anything. Returns
        {"verdict": "pass|warn|block", "findings": [{"rule", "category", "severity", "start", "end", "text",
        "message", "suggestion"}]}, exactly as `studio check --json`."""
        return await call("check_copy", tools.check_copy, text=text, kit=kit, channel=channel, market=market,
                          brief=brief, product=product, offer=offer)

    @server.tool()
    async def generate_variants(
        kit: Annotated[str, Field(description="kit id")],
        segment: Annotated[str, Field(description="segment id of that kit")],
        channels: Annotated[list[str], Field(min_length=1, description="channel ids, e.g. [\"sms\", \"x\"]")],
        brief: Annotated[str, Field(min_length=1, description="what the copy is about")],
        variants: Annotated[int, Field(ge=1, le=20, description="variants per channel")] = 1,
        market: Annotated[str | None, Field(description="US, EU or CN (default: the kit's first market)")] = None,
        product: Annotated[str, Field(description="the product the brief is about")] = "",
        offer: Annotated[str, Field(description="the offer, e.g. '20% off this weekend'")] = "",
        objective: Annotated[str, Field(description="e.g. awareness, conversion")] = "",
    ) -> CallToolResult:
        """Generate variants for a brief (creators and admins): written, checked, labelled as AI-generated and
        queued for human review (status in_review). Returns {"variants": [{"id", "version", "status", "verdict",
        "kit", "segment", "channel", "market", "copy", "image", "findings", ...}]} as `studio generate --json`."""
        return await call("generate_variants", tools.generate_variants, kit=kit, segment=segment, channels=channels,
                          brief=brief, variants=variants, market=market, product=product, offer=offer,
                          objective=objective)

    @server.tool(annotations=READ_ONLY)
    async def list_review_queue(
        status: Annotated[Literal["draft", "in_review", "approved", "rejected", "changes_requested", "exported"] | None,
                          Field(description="only variants with this status")] = None,
        kit: Filter = None,
        channel: Filter = None,
        verdict: Annotated[Literal["pass", "warn", "block"] | None, Field(description="only this check verdict")] = None,
        batch_id: Filter = None,
    ) -> CallToolResult:
        """List variants in the review queue, oldest first, as `studio review list --json`."""
        return await call("list_review_queue", tools.list_review_queue, status=status, kit=kit, channel=channel,
                          verdict=verdict, batch_id=batch_id)

    @server.tool(annotations=READ_ONLY)
    async def show_variant(variant_id: Annotated[str, Field(description="e.g. var_0123456789ab")]) -> CallToolResult:
        """Show one variant (its current version's copy, image, findings and status) with its history: every
        version, decision, comment and audit event, as `studio review show ID --json`."""
        return await call("show_variant", tools.show_variant, variant_id=variant_id, about=variant_id)

    @server.tool()
    async def decide_variant(
        variant_id: Annotated[str, Field(description="the variant")],
        decision: Annotated[Literal["approve", "reject", "request_changes"], Field(description="the decision")],
        version: Annotated[int, Field(ge=1, description="the version you reviewed (show_variant's 'version'); "
                                                         "a newer one makes this a conflict")],
        note: Annotated[str | None, Field(description="required for reject (the reason) and request_changes "
                                                      "(what to change)")] = None,
        override_reason: Annotated[str | None, Field(description="admins only: approve a block verdict")] = None,
    ) -> CallToolResult:
        """Approve, reject or request changes on the version you reviewed (reviewers and admins; a person takes
        editorial responsibility). request_changes regenerates the variant as the next version. Returns the
        variant as show_variant does, without history."""
        return await call("decide_variant", tools.decide_variant, about=variant_id, variant_id=variant_id,
                          decision=decision, version=version, note=note, override_reason=override_reason)

    return server
