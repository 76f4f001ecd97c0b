package entra

import (
	"encoding/json"
	"strings"

	"github.com/attesthq/attest/internal/connector"
)

// Display shows a connection's cloud, directory and application: the
// directory is the list's summary.
func (c *Connector) Display(raw json.RawMessage) connector.Display {
	var s Settings
	_ = json.Unmarshal(raw, &s)
	cloud := s.Cloud
	if cl, ok := c.cloud(s.Cloud); ok {
		cloud = strings.TrimSuffix(cl.Label, " (not Microsoft)")
	}
	return connector.Display{Summary: s.Tenant, Column: connector.Item{Label: "Cloud", Value: cloud}, Details: []connector.Item{
		{Label: "Cloud", Value: cloud},
		{Label: "Directory (tenant)", Value: s.Tenant},
		{Label: "Application (client) ID", Value: s.ClientID},
	}}
}
