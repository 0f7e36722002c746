"""Date, time and number formats, one set for every language Setu speaks (``FORMAT_MODULE_PATH``).

Dates are day-month-year everywhere ("7 Dec 2026", "07-12-2026"), never the US month-first
order that Django's English uses; times are 24-hour, so nobody reads 1:53 a.m. as 1:53 p.m.
Each language's ``formats`` module re-exports these values (Django looks one up per language).
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# What a typed date may look like; ISO first, as every date input sends it (see core.forms).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
# Indian grouping (lakh, crore): 3,00,000 and 1,20,00,000.
NUMBER_GROUPING = (3, 2, 0)
