"""Page routes: `/` chat, `/staff` console, `/admin`, and the login/logout forms behind them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth.service import AccountDisabled, InvalidCredentials, log_in, record_login, revoke_token
from api.auth.throttle import Throttle, TooManyAttempts
from api.deps import client_address
from api.text import Text
from api.unit_of_work import UnitOfWork
from common.roles import Role
from web import messages
from web.session import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    WebSession,
    csrf_matches,
    decode_session,
    encode_session,
    new_csrf_token,
    new_session,
)

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LOGIN_TARGETS = {"/": "chat", "/#requests": "chat", "/staff": "staff", "/admin": "admin", "/reports": "staff"}

router = APIRouter(include_in_schema=False)


def current_session(request: Request) -> WebSession | None:
    """The signed session of this browser, if any."""
    return decode_session(request.cookies.get(SESSION_COOKIE), request.app.state.web_session_key)


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def _set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, max_age=SESSION_MAX_AGE, samesite="lax", secure=_secure(request))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the session and a CSRF token (set as a cookie when the browser has none)."""
    session = current_session(request)
    csrf = session.csrf if session else request.cookies.get(CSRF_COOKIE) or new_csrf_token()
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"session": session, "csrf_token": csrf, "csrf_field": CSRF_FIELD, "t": messages, **context},
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
    if request.cookies.get(CSRF_COOKIE) != csrf:
        _set_csrf_cookie(request, response, csrf)
    return response


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    """The public chat page: ask, self-check, submit and follow requests."""
    return render(request, "chat.html")


def _staff_only(request: Request, template: str, path: str) -> HTMLResponse:
    """`template` for a signed-in staff member; the staff login form (back to `path`) or 403 otherwise."""
    session = current_session(request)
    if session is None:
        return render(request, "login.html", area="staff", next_path=path)
    if not session.is_staff:
        return render(request, "forbidden.html", status_code=403, area="staff")
    return render(request, template)


@router.get("/staff", response_class=HTMLResponse)
def staff_page(request: Request) -> HTMLResponse:
    """The staff console, or its login form."""
    return _staff_only(request, "staff.html", "/staff")


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> HTMLResponse:
    """The reports (admins and queue supervisors: the API refuses other staff), or the staff login form."""
    return _staff_only(request, "reports.html", "/reports")


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request) -> HTMLResponse:
    """The admin pages, or their login form."""
    session = current_session(request)
    if session is None:
        return render(request, "login.html", area="admin", next_path="/admin")
    if not session.is_admin:
        return render(request, "forbidden.html", status_code=403, area="admin")
    return render(request, "admin.html")


def _login(engine: Engine, throttle: Throttle, username: str, password: str, address: str) -> tuple[str, str] | None:
    """A new bearer token and the account's role for these credentials; None when they are wrong."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            checked = log_in(session=session, throttle=throttle, username=username, password=password, address=address)
        except InvalidCredentials:
            return None
        with UnitOfWork(session):  # argon2 ran before: the write lock covers the token only
            token = record_login(session=session, login=checked)
        return token, checked.user.role


def _logout(engine: Engine, token: str) -> None:
    """Revoke the token, so a copied cookie is worthless after logout."""
    with Session(engine) as session, UnitOfWork(session):
        revoke_token(session=session, token=token)


@router.post("/web/login")
async def login(
    request: Request,
    username: Annotated[Text, Form(max_length=128)],
    password: Annotated[Text, Form(max_length=256)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=16)] = "/staff",
) -> Response:
    """Check the password with the API's login, then keep its token in a signed HttpOnly cookie."""
    target = next_path if next_path in LOGIN_TARGETS else "/staff"
    area = LOGIN_TARGETS[target]
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), csrf_token):
        return render(request, "login.html", 403, area=area, next_path=target, error=messages.CSRF_FAILED)
    engine: Engine = request.app.state.engine
    throttle: Throttle = request.app.state.throttle
    address = client_address(request)
    try:
        # argon2: off the loop
        granted = await run_in_threadpool(_login, engine, throttle, username.strip(), password, address)
    except TooManyAttempts as exc:
        error = messages.LOGIN_THROTTLED
        page = render(request, "login.html", 429, area=area, next_path=target, error=error, username=username)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except AccountDisabled as exc:
        error = str(exc)
        return render(request, "login.html", 403, area=area, next_path=target, error=error, username=username)
    except SQLAlchemyError:
        error = messages.LOGIN_UNAVAILABLE
        return render(request, "login.html", 401, area=area, next_path=target, error=error, username=username)
    if granted is None:
        error = messages.LOGIN_FAILED
        return render(request, "login.html", 401, area=area, next_path=target, error=error, username=username)
    token, role = granted
    allowed = {"chat": tuple(Role), "staff": (Role.STAFF, Role.ADMIN), "admin": (Role.ADMIN,)}[area]
    if role not in allowed:
        await run_in_threadpool(_logout, engine, token)  # the token just issued is not kept: revoke it
        return render(request, "login.html", 403, area=area, next_path=target, error=messages.ROLE_REFUSED)
    csrf = new_csrf_token()  # rotate on login: a token planted before login is worthless after it
    session = new_session(token=token, role=role, username=username.strip(), csrf=csrf)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        encode_session(session, request.app.state.web_session_key),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    _set_csrf_cookie(request, response, csrf)
    return response


@router.post("/web/logout")
async def logout(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=128)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=16)] = "/",
) -> Response:
    """Forget the session (CSRF-checked so another site cannot log the user out)."""
    session = current_session(request)
    expected = session.csrf if session else request.cookies.get(CSRF_COOKIE)
    if not csrf_matches(expected, csrf_token):
        return render(request, "forbidden.html", status_code=403, area="csrf")
    if session is not None:
        await run_in_threadpool(_logout, request.app.state.engine, session.token)
    target = next_path if next_path in LOGIN_TARGETS else "/"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=_secure(request))
    _set_csrf_cookie(request, response, new_csrf_token())
    return response
