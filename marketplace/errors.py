"""Domain errors and their one translation to HTTP, as JSON or HTML by what the client accepts."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of the errors services raise; `status` is the HTTP status it becomes."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    status = 400
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class ServiceUnavailable(DomainError):
    status = 503
    code = "unavailable"


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


# What a person reads for an HTTP error raised without a message of our own (abort(404))
_MESSAGES = {
    400: "请求有误，请返回上一页重试。",
    401: "请先登录。",
    403: "您没有权限查看这个页面。",
    404: "页面不存在，或职位已下架。",
    405: "不支持这种访问方式。",
    413: "提交的内容太大了。",
    429: "操作太频繁，请稍后再试。",
    500: "服务器出错了，请稍后再试。如果一直出错，请拨打 12333 告诉我们。",
    503: "服务暂时不可用，请稍后再试。",
}


def _respond(status: int, code: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    if request.path.startswith("/kiosk"):
        # a kiosk page keeps the kiosk's frame (its idle reset, no sign-in link on a shared
        # terminal) and home is the kiosk's
        kiosk = {"layout": "kiosk/base.html", "home": url_for("kiosk.reset")}
        return render_template("error.html", status=status, message=message, **kiosk), status
    return render_template("error.html", status=status, message=message), status


def _domain_error(error: DomainError) -> tuple[Response | str, int]:
    return _respond(error.status, error.code, error.message)


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    message = error.description or ""
    if message == type(error).description:  # werkzeug's English default
        message = _MESSAGES.get(status, _MESSAGES[500 if status >= 500 else 400])
    return _respond(status, (error.name or "error").lower().replace(" ", "_"), message)


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
