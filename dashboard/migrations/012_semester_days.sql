-- 012: the days of a semester written once (issue [7/11]), in the style of 010 and 011, for the
-- two queries that spelled the dates out; the semester's 學年度 y and 學期 s are the caller's
-- $parameters.

-- metrics.md, meetings.count (and 學籍異動 within a semester): the days of semester s of 學年度 y,
-- semester 1 = Aug 1 – Jan 31, semester 2 = Feb 1 – Jul 31 (y + 1911 is the year of Aug 1).
create or replace macro semester_days(y, s) as table
    select
        case when s = 1
            then make_date(y + 1911, 8, 1)
            else make_date(y + 1912, 2, 1)
        end as first_day,
        case when s = 1
            then make_date(y + 1912, 1, 31)
            else make_date(y + 1912, 7, 31)
        end as last_day;
