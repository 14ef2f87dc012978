"""The global withholding tax and NHI supplementary premium rule table, seeded with 2026."""

import django.core.validators
from datetime import date
from decimal import Decimal
from django.db import migrations, models



# The rules published for 2026, frozen here as the migration saw them (docs/payouts.md cites
# each one). Rates set by law stay open-ended; thresholds that follow the year's basic wage or
# salary table end on 2026-12-31, so a 2027 quote asks for the new year's row instead of
# silently using an old threshold.
YEAR_START = date(2026, 1, 1)
YEAR_END = date(2026, 12, 31)
MOF_RATES = (
    "各類所得扣繳率標準 (Standards of Withholding Rates for Various Incomes), Ministry of Finance",
    "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=G0340025",
)
MOF_WAGES = (
    "115年度薪資所得扣繳稅額表 (2026 salary withholding table), Ministry of Finance",
    "https://www.mof.gov.tw/",
)
NHIA = (
    "補充保險費 (NHI supplementary premium), National Health Insurance Administration",
    "https://www.nhi.gov.tw/ch/cp-4516-74b0f-2613-1.html",
)
NHI_RATE = Decimal("0.0211")
NHI_CAP = Decimal(10_000_000)
BASIC_WAGE_2026 = Decimal(29_500)

# (income type, payee, charge, rate, basis, threshold, cap, rounding, until, source, note)
RULES = [
    ("9A", "resident", "withholding", "0.10", "charge_above", 2000, None, "down", None, MOF_RATES,
     "Art. 2: 10 % of the payment; Art. 13: waived when the tax of one payment is at most NT$2,000."),
    ("9B", "resident", "withholding", "0.10", "charge_above", 2000, None, "down", None, MOF_RATES,
     "Art. 2: 10 % of the payment; Art. 13: waived when the tax of one payment is at most NT$2,000."),
    ("92", "resident", "withholding", "0", "always", None, None, "down", None, MOF_RATES,
     "Art. 2 lists no withholding on residents' other income: reported on a 免扣繳憑單 only."),
    ("50", "resident", "withholding", "0.05", "payment_at_least", 90501, None, "down", YEAR_END,
     MOF_WAGES,
     "Part-time pay and pay not given monthly: 5 % of the payment; none below the 2026 starting "
     "point of NT$90,501 (薪資所得扣繳辦法)."),
    ("9A", "nonresident", "withholding", "0.20", "always", None, None, "down", None, MOF_RATES,
     "Art. 3: 20 % of the payment, no waiver."),
    ("9B", "nonresident", "withholding", "0.20", "payment_above", 5000, None, "down", None,
     MOF_RATES, "Art. 3: 20 %; may be waived when one payment is at most NT$5,000."),
    ("92", "nonresident", "withholding", "0.20", "always", None, None, "down", None, MOF_RATES,
     "Art. 3: 20 % of the payment."),
    ("50", "nonresident", "withholding", "0.06", "payment_at_most", 44250, None, "down", YEAR_END,
     MOF_RATES,
     "Art. 3: 6 % when the month's pay is at most 1.5 x the basic wage (NT$29,500 in 2026)."),
    ("50", "nonresident", "withholding", "0.18", "payment_above", 44250, None, "down", YEAR_END,
     MOF_RATES, "Art. 3: 18 % above 1.5 x the basic wage."),
    ("9A", "business", "withholding", "0", "always", None, None, "down", None, MOF_RATES,
     "A business issuing a uniform invoice (統一發票) for the fee: nothing is withheld."),
    ("9B", "business", "withholding", "0", "always", None, None, "down", None, MOF_RATES,
     "A business issuing a uniform invoice (統一發票) for the fee: nothing is withheld."),
    ("92", "business", "withholding", "0", "always", None, None, "down", None, MOF_RATES,
     "A business issuing a uniform invoice (統一發票) for the fee: nothing is withheld."),
]
for payee in ("resident", "nonresident"):
    for income_type in ("9A", "9B"):
        RULES.append(
            (income_type, payee, "nhi", NHI_RATE, "payment_at_least", 20000, NHI_CAP, "half_up",
             None, NHIA,
             "2.11 % of one professional-practice payment of NT$20,000 or more, at most "
             "NT$10,000,000 charged; not for payees exempt by their own insurance status.")
        )
    RULES.append(
        ("50", payee, "nhi", NHI_RATE, "payment_at_least", BASIC_WAGE_2026, NHI_CAP, "half_up",
         YEAR_END, NHIA,
         "2.11 % of part-time pay from an employer that does not insure the payee, when one "
         "payment reaches the basic wage (NT$29,500 in 2026).")
    )


def seed_withholding_rules(apps, schema_editor):
    WithholdingRule = apps.get_model("campaigns", "WithholdingRule")
    WithholdingRule.objects.bulk_create(
        WithholdingRule(
            income_type=income_type,
            payee_kind=payee,
            charge=charge,
            rate=Decimal(rate),
            threshold_basis=basis,
            threshold=None if threshold is None else Decimal(threshold),
            base_cap=cap,
            rounding=rounding,
            effective_from=YEAR_START,
            effective_to=until,
            source_title=source[0],
            source_url=source[1],
            note=note,
        )
        for (income_type, payee, charge, rate, basis, threshold, cap, rounding, until, source,
             note) in RULES
    )


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0006_add_campaign_event'),
    ]

    operations = [
        migrations.CreateModel(
            name='WithholdingRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('income_type', models.CharField(choices=[('9A', '9A Professional practice income'), ('9B', '9B Royalties and fees for writing, speaking and composing'), ('92', '92 Other income'), ('50', '50 Wages')], max_length=2, verbose_name='income type')),
                ('payee_kind', models.CharField(choices=[('resident', 'Resident individual'), ('nonresident', 'Non-resident individual'), ('business', 'Business')], max_length=12, verbose_name='payee')),
                ('charge', models.CharField(choices=[('withholding', 'Withholding tax'), ('nhi', 'NHI supplementary premium')], max_length=12, verbose_name='charge')),
                ('rate', models.DecimalField(decimal_places=5, help_text='A fraction: 0.1 for 10 %.', max_digits=6, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='charge rate')),
                ('threshold_basis', models.CharField(choices=[('always', 'Always charged'), ('charge_above', 'Only when the charge of one payment exceeds the threshold'), ('payment_at_least', 'Only when one payment reaches the threshold'), ('payment_above', 'Only when one payment exceeds the threshold'), ('payment_at_most', 'Only when one payment does not exceed the threshold')], default='always', max_length=16, verbose_name='applies')),
                ('threshold', models.DecimalField(blank=True, decimal_places=0, max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='threshold (NT$)')),
                ('base_cap', models.DecimalField(blank=True, decimal_places=0, help_text='The part of one payment above it is not charged; empty for no cap.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='largest amount charged (NT$)')),
                ('rounding', models.CharField(choices=[('down', 'Whole dollars, cents dropped'), ('half_up', 'Whole dollars, rounded half up')], default='down', max_length=8, verbose_name='rounding')),
                ('effective_from', models.DateField(verbose_name='effective from')),
                ('effective_to', models.DateField(blank=True, help_text='Last day in force; empty if open.', null=True, verbose_name='effective to')),
                ('source_title', models.CharField(max_length=200, verbose_name='source')),
                ('source_url', models.URLField(max_length=300, verbose_name='source link')),
                ('note', models.TextField(blank=True, verbose_name='note')),
            ],
            options={
                'verbose_name': 'withholding rule',
                'verbose_name_plural': 'withholding rules',
                'ordering': ['income_type', 'payee_kind', 'charge', '-effective_from'],
                'indexes': [models.Index(fields=['income_type', 'payee_kind', 'effective_from'], name='campaigns_w_income__16fd1e_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('rate__gte', 0), ('rate__lte', 1)), name='withholding_rule_rate_fraction'), models.CheckConstraint(condition=models.Q(('effective_to__isnull', True), ('effective_to__gte', models.F('effective_from')), _connector='OR'), name='withholding_rule_dates_in_order'), models.CheckConstraint(condition=models.Q(('threshold_basis', 'always'), ('threshold__isnull', False), _connector='OR'), name='withholding_rule_threshold_set')],
            },
        ),
        migrations.RunPython(seed_withholding_rules, migrations.RunPython.noop),
    ]
