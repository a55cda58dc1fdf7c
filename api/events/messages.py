"""User-facing Chinese of the event stream's comments."""

from __future__ import annotations

AHEAD_OF_OUTBOX = "Last-Event-ID {last_event_id} 超出现有事件，从最新处开始 (ahead of the outbox)"
RESUMING = "从事件 {last_event_id} 之后继续 (resuming after {last_event_id})"
SINCE = "从 {since} 起推送 (events since {since})"
NEW_EVENTS_ONLY = "未提供 Last-Event-ID，仅推送新事件 (no Last-Event-ID: new events only)"
SHUTTING_DOWN = "服务关闭"
LIFETIME_REACHED = "连接到期"
RECONNECT = "{farewell}，请重新连接 ({why}, reconnect)"
ACCESS_ENDED = "登录已失效或权限已变更"
TOO_MANY_STREAMS = "同一用户打开的事件流过多，最早的已关闭"
