"""Spanish as read in California: numbers and money in the US way, dates in the Spanish way.

Residents of the district read amounts on their bills and in the district's budget as
"$176,000.00", whatever the language; Django's Spanish default ("176 000,00") would make an amount
read a thousand times smaller to them. So numbers take the US separators, and dates keep the
Spanish words and order ("5 de diciembre de 2026", "05/12/2026").
"""

# Numbers: 1,234.5 and $176,000.00, as in English.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# Dates and times: Django's Spanish formats (django/conf/locale/es/formats.py), restated here
# so that this file says everything a Spanish page uses.
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 31/12/2026
    "%d/%m/%y",  # 31/12/26
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
]
