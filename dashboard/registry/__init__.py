"""Registry: the work of 教務處註冊組 and 進修部教務組 with the central database — the four
rosters submitted (submissions), the receipt details confirmed (receipts), the paper notices to
students who left (notices) and the 5-year keeping of graduates' data (retention).
"""
