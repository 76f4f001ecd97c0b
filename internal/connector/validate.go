package connector

import (
	"fmt"
	"slices"
)

// Validate checks that c implements what its definition declares: an
// Authorizer for an auth kind that redirects, a Consenter for the consent
// capability, datasets for every check, unique parameter keys with sane
// ranges, and a schema version for every evidence kind.
func Validate(c Connector) error {
	d := c.Definition()
	switch d.AuthKind {
	case AuthOAuthCode, AuthAppInstallation, AuthStaticToken:
	default:
		return fmt.Errorf("connector %s: unknown auth kind %q", d.Key, d.AuthKind)
	}
	if _, ok := c.(Authorizer); d.AuthKind.Redirects() && !ok {
		return fmt.Errorf("connector %s: auth kind %s needs an Authorizer", d.Key, d.AuthKind)
	}
	if _, ok := c.(Consenter); d.Has(CapabilityConsent) && !ok {
		return fmt.Errorf("connector %s: the consent capability needs a Consenter", d.Key)
	}
	for _, k := range d.Evidence {
		if k.SchemaVersion < 1 {
			return fmt.Errorf("connector %s: evidence kind %s has no schema version", d.Key, k.Kind)
		}
	}
	var keys []string
	for _, ds := range c.Datasets() {
		keys = append(keys, ds.Key)
		for _, k := range ds.Kinds {
			if _, ok := d.Kind(k); !ok {
				return fmt.Errorf("connector %s: dataset %s writes undeclared kind %s", d.Key, ds.Key, k)
			}
		}
	}
	params := map[string]Param{}
	for _, chk := range c.Checks() {
		for _, ds := range chk.Datasets {
			if !slices.Contains(keys, ds) {
				return fmt.Errorf("connector %s: check %s reads undeclared dataset %s", d.Key, chk.Key, ds)
			}
		}
		for _, p := range chk.Params {
			if p.Min > p.Default || p.Default > p.Max {
				return fmt.Errorf("connector %s: parameter %s: default %d outside %d..%d", d.Key, p.Key, p.Default, p.Min, p.Max)
			}
			if prev, dup := params[p.Key]; dup && prev != p {
				return fmt.Errorf("connector %s: parameter %s declared twice differently", d.Key, p.Key)
			}
			params[p.Key] = p
		}
		if chk.Fix.Sentence == "" || chk.Fix.URL == "" {
			return fmt.Errorf("connector %s: check %s does not say what to do when it fails (Fix)", d.Key, chk.Key)
		}
	}
	return nil
}
