"""Number formats for zh-Hant on top of Django's own (dates and input formats come from
django/conf/locale/zh_Hant): amounts in Taiwan are grouped by thousands with a comma
(NT$218,700), while Django's locale leaves the separator empty."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
