-- 009: an alert delivery may expire (issue 18): with delivery turned off and on again
-- (DOCLEDGER_ALERTS_ENABLED), alerts raised more than DOCLEDGER_ALERT_MAX_AGE_S before the
-- worker reaches them are marked 'expired' instead of sent, so a backlog never floods the
-- receiver. The alert itself stays in `alerts`.
ALTER TABLE alert_deliveries DROP CONSTRAINT IF EXISTS alert_deliveries_status_check;
ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_status_check
    CHECK (status IN ('pending', 'delivered', 'throttled', 'dead', 'expired'));
