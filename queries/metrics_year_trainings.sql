-- purpose: 研習場次 of a 學年度 per 類型; with a 部別, that division's sessions and those held
--          for both (empty 部別)
-- params: $year INTEGER, $division VARCHAR (NULL = 全校)
-- returns: one row per 類型, all three always (宣導說明, 系統操作訓練, 專業研習):
--          training_kind, session_count
with year_trainings as (
    select
        kind,
        division
    from trainings
    where school_year = $year
),

counted_trainings as (
    select kind
    from year_trainings
    where $division is null
       or division is null
       or division = $division
),

per_kind as (
    select
        kind,
        count(*) as session_count
    from counted_trainings
    group by kind
),

final as (
    select
        training_kinds.training_kind,
        coalesce(per_kind.session_count, 0) as session_count
    from training_kinds() as training_kinds
    left join per_kind
        on per_kind.kind = training_kinds.training_kind
    order by training_kinds.kind_order
)

select * from final
