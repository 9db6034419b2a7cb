"""Documents: files made for people to read or file — Excel exports of any table (exports),
meeting minutes as .docx and PDF (minutes), paper letters (letters), the published schedule as
HTML, .ics and Excel (schedule_publish) and reminder texts (reminders). They read through
measures and records; nothing there imports a document builder.
"""
