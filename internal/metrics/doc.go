// Package metrics holds attest's Prometheus series. A Set registers them on a
// registry of its own (never the process-wide default, so tests running in
// parallel never share a series) and serves them on a listener apart from
// the public one (ATTEST_METRICS_ADDR).
//
// Counters and histograms are fed as things happen: HTTP requests (by route
// pattern, never the raw path), syncs, provider requests, evidence rows,
// River job outcomes and the organizations a periodic job failed on. Gauges of state are computed at scrape time: live
// connections by health and open alerts (through the system_counts SECURITY
// DEFINER function, which sums over every organization), River queue depth
// and the database pool.
//
// Labels never carry organization names, emails, subjects or ids: only
// route patterns, methods, status codes, connector and dataset keys, rate-limit
// endpoint families, queue names, job kinds and states.
//
// Every method of a nil *Set does nothing, so services built without metrics
// (most tests) need no stand-in.
package metrics
