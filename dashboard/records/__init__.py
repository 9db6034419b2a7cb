"""Records: what the school keeps for itself, entered through forms rather than imported — the
working group's roster (committee), its meetings (meetings, with meeting_model, meeting_rules
and meeting_reads) and their resolutions, the 作業期程 (schedule, its data and reading in
schedule_model) with its self-checks (selfchecks), training sessions (trainings) and the
proxies for staff who leave (deputies). Every write validates first and runs in one transaction.
"""
