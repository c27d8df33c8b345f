"""`manage.py agency_token create|revoke|list`: issue, revoke and list the OGC access tokens of
agency accounts. The secret is printed once at creation; only its hash is stored."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from geo.models import AgencyAccount, AgencyToken, Layer, LayerGroup
from geo.services.agency_access import issue_token, revoke
from geo.services.tokens import hash_token


class Command(BaseCommand):
    help = "Kurum erişim anahtarlarını üretir, iptal eder, listeler. (Agency OGC tokens.)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="yeni anahtar (new token)")
        create.add_argument("--account", required=True, help="kurum adı ya da numarası (account name or id)")
        create.add_argument("--label", default="", help="anahtarın etiketi")
        create.add_argument("--days", type=int, help="geçerlilik süresi, gün (expiry in days)")
        create.add_argument("--create-account", action="store_true",
                            help="kurum yoksa oluştur (create the account if missing)")
        create.add_argument("--layer", action="append", default=[], help="kapsama katman ekle (slug; tekrarlanabilir)")
        create.add_argument("--group", action="append", default=[], help="kapsama katman grubu ekle (slug)")
        revoke_p = sub.add_parser("revoke", help="anahtarı iptal et (revoke)")
        revoke_p.add_argument("token", help="anahtarın öneki, numarası ya da kendisi (prefix, id or the token)")
        listing = sub.add_parser("list", help="anahtarları listele (list)")
        listing.add_argument("--account", help="yalnızca bu kurum")

    def handle(self, *args, **opts) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _account(self, ref: str, create: bool = False) -> AgencyAccount:
        account = AgencyAccount.objects.filter(Q(name=ref) | Q(pk=int(ref) if ref.isdigit() else None)).first()
        if account is None and create:
            account = AgencyAccount.objects.create(name=ref)
        if account is None:
            raise CommandError(f"Kurum bulunamadı: {ref}. (No such agency account.)")
        return account

    def _create(self, opts: dict) -> None:
        account = self._account(opts["account"], create=opts["create_account"])
        for slug in opts["layer"]:
            layer = Layer.objects.filter(slug=slug).first()
            if layer is None:
                raise CommandError(f"Katman bulunamadı: {slug}. (No such layer.)")
            account.layers.add(layer)
        for slug in opts["group"]:
            group = LayerGroup.objects.filter(slug=slug).first()
            if group is None:
                raise CommandError(f"Katman grubu bulunamadı: {slug}. (No such layer group.)")
            account.layer_groups.add(group)
        expires = timezone.now() + timedelta(days=opts["days"]) if opts["days"] else None
        token, secret = issue_token(account, label=opts["label"], expires_at=expires)
        self.stderr.write(f"'{account}' için anahtar #{token.pk} üretildi; yalnızca şimdi gösterilir "
                          "(token created; shown only now):")
        self.stdout.write(secret)

    def _revoke(self, opts: dict) -> None:
        ref = opts["token"]
        found = AgencyToken.objects.filter(
            Q(prefix=ref) | Q(token_hash=hash_token(ref)) | Q(pk=int(ref) if ref.isdigit() else None))
        if found.count() != 1:
            raise CommandError(f"{found.count()} anahtar eşleşti: {ref}. (Need exactly one match.)")
        token = found.get()
        revoke(token)
        self.stdout.write(f"İptal edildi (revoked): #{token.pk} {token.prefix}… {token.account}")

    def _list(self, opts: dict) -> None:
        tokens = AgencyToken.objects.select_related("account").order_by("account__name", "-created_at")
        if opts["account"]:
            tokens = tokens.filter(account=self._account(opts["account"]))
        for t in tokens:
            state = "iptal" if t.revoked_at else ("süresi doldu" if not t.usable else "geçerli")
            scope = ", ".join([*t.account.layers.values_list("slug", flat=True),
                               *(f"grup:{g}" for g in t.account.layer_groups.values_list("slug", flat=True))])
            self.stdout.write(f"#{t.pk}\t{t.prefix}…\t{t.account}\t{t.label}\t{state}\t"
                              f"{t.created_at:%Y-%m-%d}\t{scope or '-'}")
