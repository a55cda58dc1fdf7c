"""Files the user sends (photos, documents): taken from Telegram, sent to a ticket as attachments."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from aiogram import Bot
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.client import ApiClient, ApiError

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the Bot API serves no bigger file to a bot
TOO_LARGE, UNSUPPORTED = 413, 415


@dataclass(frozen=True, slots=True)
class SentFile:
    """A photo or document of a message: its Telegram id, a name and its type as the client said."""

    file_id: str
    name: str
    size: int | None
    content_type: str


def sent_file(message: Message) -> SentFile | None:
    """The file a message carries (the largest size of a photo), or None."""
    if message.document is not None:
        document = message.document
        name = document.file_name or f"file-{document.file_unique_id}"
        content_type = document.mime_type or "application/octet-stream"
        return SentFile(document.file_id, name, document.file_size, content_type)
    if message.photo:
        photo = message.photo[-1]
        return SentFile(photo.file_id, f"photo-{photo.file_unique_id}.jpg", photo.file_size, "image/jpeg")
    return None


def limits_text() -> str:
    """What the desk takes, in plain words."""
    return _("Files up to 10 MB: PDF, photos and images, Word, Excel or PowerPoint documents, or a ZIP archive.")


def what_i_take() -> str:
    """The short reply to a file or voice message outside any flow: what the bot can take."""
    return _(
        "I take text, and files for a request: send photos or documents while drafting a request "
        "(/request), or as a reply to a message about your request. {limits}"
    ).format(limits=limits_text())


def refusal_text(status: int, name: str) -> str | None:
    """The plain-words reason the desk refused a file (None: not a size or type refusal)."""
    if status == TOO_LARGE:
        return _("{name} is too large: each file may be at most 10 MB. Compress it or send it in parts.").format(
            name=escape(name)
        )
    if status == UNSUPPORTED:
        return _("{name} is a kind of file the desk cannot take. {limits}").format(
            name=escape(name), limits=limits_text()
        )
    return None


async def attach_sent_file(bot: Bot, reply_to: Message, api: ApiClient, number: str, sent: SentFile) -> bool:
    """Download the file from Telegram and attach it to ticket `number`; tell the user either way."""
    if sent.size is not None and sent.size > TELEGRAM_DOWNLOAD_LIMIT:
        await reply_to.answer(refusal_text(TOO_LARGE, sent.name) or "")
        return False
    content = await bot.download(sent.file_id)
    if content is None:  # aiogram returns None only when writing to a destination given
        return False
    try:
        attachment = await api.attach(number, name=sent.name, data=content.read(), content_type=sent.content_type)
    except ApiError as exc:
        reason = refusal_text(exc.status, sent.name)
        await reply_to.answer(
            reason or _("Could not attach {name}: {detail}").format(name=escape(sent.name), detail=escape(exc.detail))
        )
        return False
    await reply_to.answer(
        _("{name} was attached to {number}.").format(name=escape(attachment.name), number=escape(number))
    )
    return True
