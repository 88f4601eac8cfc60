# "January 4, 2027" and "6:52 p.m.", as workbook.answers.presenter writes them, for the admin's
# columns and fields and every template `date` filter without a format of its own. Django's
# English defaults abbreviate the month ("Jan. 4, 2027") and drop ":00" ("6 p.m.").
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "F j, Y, g:i a"
SHORT_DATE_FORMAT = "F j, Y"
SHORT_DATETIME_FORMAT = "F j, Y, g:i a"
