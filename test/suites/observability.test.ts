/**
 * Observability (SLO-1..5, SLO-7): alert topics, service and data-store
 * alarms, dashboards. Run one spec with `npx jest test/suites/observability -t <name>`.
 */
import "../observability/observability.spec";
