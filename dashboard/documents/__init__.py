"""Documents: files made for people to read or file — meeting minutes as .docx and PDF
(minutes, drawn by docx_minutes and pdf_minutes from the shape in minutes_model), paper letters
to students who left (letters), the published schedule as HTML, .ics and Excel
(schedule_publish) and reminder texts (reminders). They read through measures, records and
registry; nothing there imports a document builder. (The Excel writer every table download
uses, dashboard.exports, sits at the top beside formatting.)
"""
