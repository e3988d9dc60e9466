// V8 flags for every snapgate process, set before anything else is loaded (imported first by
// bin/snapgate; the benches that host a worker in their own process preload it with
// `node --import ./bin/heap-flags.mjs`).
//
// No allocation-site pretenuring. V8 watches how many objects of each allocation site survive a
// scavenge and, past a threshold, allocates that site's objects directly in the old generation. During a
// restore the sites of an HTTP request (node's ClientRequest and header strings, socket data, the Kong
// transport's closures) can cross it — whether they do depends on what the process did before (the plan
// job, the pre-restore backup) — and from then on every request of the apply is old-generation garbage:
// measured on bench:restore's 146k-entity restore with a sampling heap profile, 360 MB in 20 s, the old
// generation growing to ~2.8x the ~230 MB live heap before each full collection, peak RSS 1.1-1.2 GB
// in about half the runs. Without pretenuring those objects die young in the new space: the flow's peak
// RSS 578-752 MB in every run measured (docs/benchmarks.md, bench:restore, session 9). snapgate allocates
// little that is long-lived per request, so the pretenuring V8 gives up is the kind that misfires here.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
