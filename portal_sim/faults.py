"""Fault injection: the network and portal misbehaviour the kiosk must survive.

A spec is a comma-separated list of ``[endpoint:]fault=value`` (e.g.
``drop=0.3,reset=0.1,503=0.05,submissions:latency=0.2,seed=7``). Endpoints are the
contract's groups (see ``endpoint_of``); without one, a fault applies to every kiosk-facing
endpoint. Faults never touch /health, /openapi.json or /admin, so tests can always steer.

Faults:
  latency=S       sleep S seconds before answering
  503=P / 429=P   answer 503 / 429 with Retry-After (``retry_after=S``, default 1)
  reset=P         reset the connection before the request is handled (nothing committed)
  drop=P          handle the request (commit), then reset the connection: the answer is lost
  duplicate=P     deliver the request to the application twice (a replaying proxy)
  upload_reset=P  on a chunk upload, keep only the first half of the chunk, then reset
  captive=1       answer every request with a 200 HTML login page (captive portal)
  outage=1        reset every connection (the portal is unreachable)
  rate=N          a real rate limit: N requests/s per kiosk (burst N), 429 with the computed
                  Retry-After beyond it
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

FAULT_NAMES = ("latency", "503", "429", "reset", "drop", "duplicate", "upload_reset", "captive", "outage",
               "retry_after", "rate")
ENDPOINTS = ("submissions", "uploads", "status", "lookup", "catalogue", "trust-list", "time", "ratings",
             "enrolments", "pki", "vneid")
TRANSPORT_KEY = "portal_sim.transport"
CAPTIVE_PAGE = (b"<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>"
                b"<h1>Welcome</h1><p>Please sign in to use the network.</p></body></html>")


class FaultSpecError(ValueError):
    """A fault spec that cannot be parsed; the message names the bad item."""


def endpoint_of(path: str) -> str | None:
    """The contract group a path belongs to, or None for paths faults never touch."""
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2 or parts[0] != "v1":
        return None
    group = parts[1]
    if group == "dossiers":
        return "status"
    if group == "submissions" and (len(parts) > 2):
        return "status"
    if group == "residents":
        return "lookup"
    return group if group in ENDPOINTS else None


@dataclass
class FaultPlan:
    """Parsed faults: a global table and per-endpoint overrides, plus a seeded random source."""

    global_faults: dict[str, float] = field(default_factory=dict)
    per_endpoint: dict[str, dict[str, float]] = field(default_factory=dict)
    seed: int | None = None

    @classmethod
    def parse(cls, spec: str | None) -> FaultPlan:
        plan = cls()
        for item in (spec or "").split(","):
            item = item.strip()
            if not item:
                continue
            name, sep, raw = item.partition("=")
            if not sep:
                raise FaultSpecError(f"fault {item!r}: expected name=value")
            endpoint, colon, fault = name.partition(":")
            if not colon:
                endpoint, fault = "", name
            if fault == "seed" and not endpoint:
                plan.seed = int(raw)
                continue
            if fault not in FAULT_NAMES:
                raise FaultSpecError(f"fault {item!r}: unknown fault {fault!r}; one of {', '.join(FAULT_NAMES)}")
            if endpoint and endpoint not in ENDPOINTS:
                raise FaultSpecError(f"fault {item!r}: unknown endpoint {endpoint!r}")
            try:
                value = float(raw)
            except ValueError as error:
                raise FaultSpecError(f"fault {item!r}: {raw!r} is not a number") from error
            if value < 0 or (fault not in ("latency", "retry_after", "rate") and value > 1):
                raise FaultSpecError(f"fault {item!r}: probability must be within 0..1")
            (plan.per_endpoint.setdefault(endpoint, {}) if endpoint else plan.global_faults)[fault] = value
        return plan

    def as_dict(self) -> dict[str, Any]:
        return {"global": self.global_faults, "endpoints": self.per_endpoint, "seed": self.seed}

    def value(self, endpoint: str, fault: str, default: float = 0.0) -> float:
        return self.per_endpoint.get(endpoint, {}).get(fault, self.global_faults.get(fault, default))


class Faults:
    """The live fault plan (replaceable through /admin/faults) and the request log for fleet tests."""

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self.plan = plan or FaultPlan()
        self.random = random.Random(self.plan.seed)
        self.requests: deque[tuple[float, str, int]] = deque(maxlen=2_000_000)
        self.injected: dict[str, int] = {}
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill)

    def replace(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan
            self.random = random.Random(plan.seed)

    def roll(self, endpoint: str, fault: str) -> bool:
        with self._lock:
            probability = self.plan.value(endpoint, fault)
            hit = probability > 0 and self.random.random() < probability
            if hit:
                self.injected[fault] = self.injected.get(fault, 0) + 1
            return hit

    def over_rate(self, endpoint: str, client: str) -> float | None:
        """Token bucket per client: None if this request may go, else seconds until it could."""
        rate = self.plan.value(endpoint, "rate")
        if rate <= 0:
            return None
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(client, (rate, now))
            tokens = min(rate, tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return None
            self._buckets[client] = (tokens, now)
            self.injected["rate"] = self.injected.get("rate", 0) + 1
            return (1 - tokens) / rate

    def record(self, arrived: float, endpoint: str, status: int) -> None:
        self.requests.append((arrived, endpoint, status))


def _reset(scope: dict) -> None:
    """Close the client's connection with a TCP RST, as a broken middlebox would."""
    transport = scope.get("extensions", {}).get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError("fault injection needs portal_sim's uvicorn protocol (portal_sim.server)")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()


def _client_of(scope: dict) -> str:
    """The rate-limited party: the kiosk header (plain HTTP) or the peer address."""
    for name, value in scope.get("headers", []):
        if name == b"x-kiosk-id":
            return value.decode("latin-1")
    client = scope.get("client") or ("?", 0)
    return str(client[0])


async def _reset_quietly(scope: dict, send) -> None:
    """Reset, then let the server see the connection gone before it expects an answer.

    uvicorn drops messages for a lost connection; yielding once lets connection_lost run,
    so the finishing response below goes nowhere instead of being logged as missing.
    """
    _reset(scope)
    await asyncio.sleep(0)
    await _send_simple(send, 499, b"", b"text/plain")


async def _send_simple(send, status: int, body: bytes, content_type: bytes,
                       extra: list[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())] + list(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class FaultMiddleware:
    """Pure ASGI middleware applying the live plan to kiosk-facing endpoints."""

    def __init__(self, app, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        endpoint = endpoint_of(scope["path"])
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        faults = self.faults
        arrived = time.time()
        status_seen = {"status": 0}

        async def recording_send(message) -> None:
            if message["type"] == "http.response.start":
                status_seen["status"] = message["status"]
            await send(message)

        try:
            if faults.plan.value(endpoint, "outage") >= 1:
                await _reset_quietly(scope, send)
                return
            latency = faults.plan.value(endpoint, "latency")
            if latency > 0:
                await asyncio.sleep(latency)
            if faults.plan.value(endpoint, "captive") >= 1:
                await _send_simple(recording_send, 200, CAPTIVE_PAGE, b"text/html; charset=utf-8")
                return
            if faults.roll(endpoint, "reset"):
                await _reset_quietly(scope, send)
                return
            retry_after = str(int(faults.plan.value(endpoint, "retry_after", 1.0))).encode()
            wait = faults.over_rate(endpoint, _client_of(scope))
            if wait is not None:
                body = json.dumps({"error": "rate_limited", "message": "too many requests from this "
                                   "kiosk; wait Retry-After seconds"}).encode()
                await _send_simple(recording_send, 429, body, b"application/json",
                                   [(b"retry-after", str(max(1, math.ceil(wait))).encode())])
                return
            for code in ("503", "429"):
                if faults.roll(endpoint, code):
                    body = json.dumps({"error": "unavailable" if code == "503" else "rate_limited",
                                       "message": "try again later"}).encode()
                    await _send_simple(recording_send, int(code), body, b"application/json",
                                       [(b"retry-after", retry_after)])
                    return
            if scope["method"] == "PATCH" and endpoint == "uploads" and faults.roll(endpoint, "upload_reset"):
                await self._half_then_reset(scope, receive, send)
                return
            if faults.roll(endpoint, "duplicate"):
                await self._twice(scope, receive, recording_send)
                return
            if faults.roll(endpoint, "drop"):
                await self.app(scope, receive, _discard)
                await _reset_quietly(scope, send)
                return
            await self.app(scope, receive, recording_send)
        finally:
            faults.record(arrived, endpoint, status_seen["status"])

    async def _twice(self, scope, receive, send) -> None:
        body = await _read_body(receive)
        await self.app(dict(scope), _replay(body), _discard)
        await self.app(scope, _replay(body), send)

    async def _half_then_reset(self, scope, receive, send) -> None:
        body = await _read_body(receive)
        await self.app(scope, _replay(body[: len(body) // 2]), _discard)
        await _reset_quietly(scope, send)


async def _discard(message) -> None:
    return None


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes):
    sent = {"done": False}

    async def receive():
        if sent["done"]:
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}
        sent["done"] = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
