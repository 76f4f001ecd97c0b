package pace

import "time"

// A lane is one collector's requests of one demand, sent one after another
// (the pages of one listing). The lane of a demand in several families goes
// first where it competes with lanes in fewer: its tighter family decides
// how long the whole sync takes, so every slot of the shared family another
// lane takes while it could have used it adds to the sync. Such a lane claims its turn in each family
// from the instant its other families let its next request go, for as many
// requests as those families then allow within the window; a request in
// fewer families does not take a slot the claim needs.

// claimGrace is how long a yielding request waits past a claimed instant,
// so that the claimant, woken at that instant, sends first.
const claimGrace = 20 * time.Millisecond

// claimStale is how long after its turn a claim is honoured: a lane that
// has not come back by then (its consumer is busy, or it is done) does not
// hold others back.
const claimStale = 2 * time.Second

// Lane is one collector's sequence of requests of one demand. ready[f] is
// when the lane's other families would let its next request go.
type Lane struct {
	d     Demand
	ready []time.Time
	sent  []*send // the request in flight, counted in each of its families
}

// Demand is what each of the lane's requests takes.
func (l *Lane) Demand() Demand { return l.d }

// Open starts a lane of d; Close it when its last request is answered.
func (p *Pacer) Open(d Demand) *Lane { return &Lane{d: d, ready: make([]time.Time, len(p.families))} }

// Close ends l's claims.
func (p *Pacer) Close(l *Lane) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.lanes, l)
}

// claim records l's turn in each family at now: the instant its other
// families let it go. Only lanes in several families claim.
func (p *Pacer) claim(l *Lane, next []time.Time, now time.Time) {
	if len(l.d.Families) < 2 {
		return
	}
	for _, f := range l.d.Families {
		ready := now
		for _, g := range l.d.Families {
			if g != f && next[g].After(ready) {
				ready = next[g]
			}
		}
		l.ready[f] = ready
	}
	p.lanes[l] = struct{}{}
}

// yieldTo returns now if the next request of l may go now, or the instant
// it must wait for: a lane in more families that shares a family with it
// and, from its claimed turn, could use the room this request would take in
// that family's window.
func (p *Pacer) yieldTo(l *Lane, now time.Time) time.Time {
	at := now
	for c := range p.lanes {
		if c == l || len(c.d.Families) <= len(l.d.Families) {
			continue
		}
		for _, f := range l.d.Families {
			fp := &p.families[f]
			if fp.window.N <= 0 {
				continue
			}
			turn := c.ready[f]
			if now.Sub(turn) > claimStale {
				continue
			}
			if turn.Before(now) {
				turn = now
			}
			span := p.spans[f]
			if turn.Sub(now) >= span {
				continue // this request leaves the window before the claimant's turn
			}
			used := 0
			for _, s := range fp.sends {
				if s.at.Add(span).After(turn) {
					used += s.cost
				}
			}
			need := min(p.allowance(c, f, turn.Add(span)), fp.window.N-used)
			if need > 0 && used+need+l.d.cost(f) > fp.window.N {
				if t := turn.Add(claimGrace); t.After(at) {
					at = t
				}
			}
		}
	}
	return at
}

// allowance is how much of family f's window lane c's other families let
// it use by end: for each, the room left once the sends that leave its
// window before end have left.
func (p *Pacer) allowance(c *Lane, f Family, end time.Time) int {
	requests := p.families[f].window.N
	for _, g := range c.d.Families {
		gp := &p.families[g]
		if g == f || gp.window.N <= 0 {
			continue
		}
		span := p.spans[g]
		room := gp.window.N
		for _, s := range gp.sends {
			if s.at.Add(span).After(end) {
				room -= s.cost
			}
		}
		requests = min(requests, room/max(c.d.cost(g), 1))
	}
	return max(requests, 0) * c.d.cost(f)
}
