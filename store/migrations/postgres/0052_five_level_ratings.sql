-- Issue 15 §2. Ratings have the five levels of the national 政务服务"好差评";
-- the counters keep satisfied, basic_satisfied and unsatisfied as the three
-- groups they always counted (非常满意 counts as satisfied, 非常不满意 as
-- unsatisfied) and count the two ends again within their group, so that the
-- five-level distribution can be reported. No item was rated so before:
-- both start at 0.
ALTER TABLE tallies ADD COLUMN IF NOT EXISTS very_satisfied BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tallies ADD COLUMN IF NOT EXISTS very_unsatisfied BIGINT NOT NULL DEFAULT 0;
