"""User-facing Chinese of accounts, logins and tokens."""

from __future__ import annotations

USERNAME_TAKEN = "用户名已存在：{username} (username taken)"
TELEGRAM_TAKEN = "该 Telegram 账号已关联其他用户：{telegram_user_id} (Telegram user already linked)"
WRONG_CREDENTIALS = "用户名或密码错误 (wrong username or password)"
TOO_MANY_LOGINS = "登录失败次数过多，请稍后再试 (too many failed logins, try again later)"
LOGIN_REQUIRED = "请先登录 (authentication required)"
BOT_NEEDS_TELEGRAM_USER = "服务令牌须附带 X-Telegram-User-Id (the service token acts for a Telegram user)"
BAD_TELEGRAM_USER_ID = "X-Telegram-User-Id 应为正整数 (X-Telegram-User-Id must be a positive integer)"
NO_ADMIN_THROUGH_BOT = "管理员不能通过机器人令牌操作 (admins cannot act through the bot's token)"
TOKEN_INVALID = "登录已失效，请重新登录 (invalid or expired token)"  # noqa: S105 (a message)
ACCOUNT_DISABLED = "账号已停用 (account disabled)"
ROLE_FORBIDDEN = "您没有权限执行此操作 (not allowed for your role)"
ACCOUNT_DISABLED_ASK_ADMIN = "账号已停用，请联系管理员 (account disabled: ask an admin)"
UNKNOWN_USER = "没有这个账号：{username} (unknown user)"
NO_PASSWORD_TO_CHANGE = "此账号没有密码，无法修改 (this account has no password)"  # noqa: S105 - a message
WRONG_CURRENT_PASSWORD = "当前密码不正确 (the current password is wrong)"  # noqa: S105 - a message
CANNOT_DISABLE_SELF = "不能停用自己的账号 (you cannot disable your own account)"
TELEGRAM_NOT_LINKED = (
    "此 Telegram 账号尚未由本人绑定员工账号：请在员工控制台点「绑定 Telegram」，再向机器人发送 /link 绑定码"
    " (this Telegram id is not linked to the staff account: get a code in the console and send /link CODE to the bot)"
)
LINK_CODE_INVALID = "绑定码无效或已过期 (the link code is wrong, used or expired)"
TOO_MANY_LINKS = "绑定失败次数过多，请稍后再试 (too many failed link attempts, try again later)"
ONLY_STAFF_LINK = "只有员工账号可获取 Telegram 绑定码 (only staff accounts link a Telegram id)"
TELEGRAM_LINKED_ELSEWHERE = (
    "该 Telegram 账号已绑定其他员工账号 (this Telegram id is already linked to another staff account)"
)
