"""`manage.py user_token <username> [--expires DAYS] [--label TEXT]`: a personal access token for
a staff member's desktop GIS (OGC API Features Part 4 editing). The secret is printed once, on
stdout alone so scripts can capture it; only its hash is stored."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from geo.services.user_tokens import issue


class Command(BaseCommand):
    help = "Kullanıcıya kişisel erişim anahtarı üretir. (Issue a personal access token.)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="kullanıcı adı (username)")
        parser.add_argument("--expires", type=int, metavar="DAYS", help="geçerlilik süresi, gün (expiry in days)")
        parser.add_argument("--label", default="manage.py user_token", help="anahtarın etiketi (label)")

    def handle(self, *args, **opts) -> None:
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: opts["username"]}).first()
        if user is None or not user.is_active:
            raise CommandError(f"Etkin kullanıcı bulunamadı: {opts['username']}. (No such active user.)")
        days = opts["expires"]
        if days is not None and days < 1:
            raise CommandError("--expires en az 1 gün olmalı. (--expires must be at least 1 day.)")
        token, secret = issue(user, label=opts["label"],
                              expires_at=timezone.now() + timedelta(days=days) if days else None)
        until = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "süresiz (no expiry)"
        self.stderr.write(f"'{user}' için anahtar #{token.pk} üretildi, geçerlilik: {until}; yalnızca şimdi "
                          "gösterilir (token created; shown only now):")
        self.stdout.write(secret)
