"""manage.py number_district [--ilce ID] [--apply [--user NAME]]: a numbering plan for every street of
an ilçe (or of each ilçe), with its summary; --apply approves it as the officer's bulk approval."""

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.errors import KentError
from numarataj.models import Ilce
from numarataj.services import numbering, plans


class Command(BaseCommand):
    help = ("İlçedeki her CSBM için numaralama planı yapar ve özetini yazar; --apply ile onaylar. "
            "(Plan the numbering of every street; --apply approves it.)")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ilce", type=int, help="İlçe kimliği; verilmezse her ilçe. (Ilçe id; default: all.)")
        parser.add_argument("--apply", action="store_true", help="Planı onayla ve adreslere yaz. (Approve it.)")
        parser.add_argument("--user", help="Onaylayan memurun kullanıcı adı; verilmezse değişiklikler "
                                           "kullanıcısız, komut açıklamasıyla kaydedilir. (Approving officer.)")

    def handle(self, *args: Any, ilce: int | None, apply: bool, user: str | None, **options: Any) -> None:
        self.verbosity, officer = int(options["verbosity"]), None
        if user:
            officer = get_user_model().objects.filter(username=user).first()
            if officer is None:
                raise CommandError(f"Kullanıcı yok: {user} (no such user)")
        ilceler = Ilce.objects.filter(pk=ilce) if ilce else Ilce.objects.order_by("pk")
        if not ilceler.exists():
            raise CommandError("İlçe bulunamadı. (No ilçe found.)")
        for one in ilceler:
            started = time.monotonic()
            plan = numbering.plan_district(one, user=officer, check_rights=False)
            self._summary(one, plan, time.monotonic() - started)
            if apply:
                started = time.monotonic()
                comment = f"number_district --apply ({user or 'komut satırı, kullanıcısız'})"
                try:
                    plans.approve(plan, user=officer, comment=comment, check_rights=False)
                except KentError as e:
                    raise CommandError(f"Plan #{plan.pk} onaylanamadı: {e.message}") from e
                self.stdout.write(self.style.SUCCESS(
                    f"  Plan #{plan.pk} onaylandı: {plan.degisiklikler.count()} kayıt değişikliği "
                    f"({time.monotonic() - started:.1f} sn)."))

    def _summary(self, ilce: Ilce, plan, seconds: float) -> None:
        o = plan.ozet
        self.stdout.write(f"{ilce}: plan #{plan.pk} — {o['sokak']} sokak, {o['kapi']} kapı, {o['degisen']} değişiklik "
                          f"({o['yeni']} yeni kapı), {len(o['sokaksiz_yapi'])} yapı 60 m içinde CSBM'siz "
                          f"({seconds:.1f} sn)")
        if self.verbosity >= 2:
            for s in o["sokaklar"]:
                self.stdout.write(f"  {s['ad']}: sol {s['sol']}, sağ {s['sag']} — başlangıç: {s['neden']}")
