package coverage

import "strings"

// Category is a Trust Services category.
type Category struct {
	Key      string
	Name     string
	Optional bool
}

// Categories are the Trust Services categories; Security (the Common
// Criteria) is always in scope.
var Categories = []Category{
	{Key: "CC", Name: "Security (Common Criteria)"},
	{Key: "A", Name: "Availability", Optional: true},
	{Key: "C", Name: "Confidentiality", Optional: true},
	{Key: "PI", Name: "Processing Integrity", Optional: true},
	{Key: "P", Name: "Privacy", Optional: true},
}

// Criterion is one SOC 2 Trust Services criterion: a control in attest.
type Criterion struct {
	ID       string
	Category string
	// Series groups the Common Criteria (CC1 … CC9); other categories use
	// their category key.
	Series  string
	Summary string
}

// Series names the Common Criteria series.
var Series = map[string]string{
	"CC1": "Control environment", "CC2": "Communication and information", "CC3": "Risk assessment",
	"CC4": "Monitoring activities", "CC5": "Control activities", "CC6": "Logical and physical access controls",
	"CC7": "System operations", "CC8": "Change management", "CC9": "Risk mitigation",
	"A": "Availability", "C": "Confidentiality", "PI": "Processing integrity", "P": "Privacy",
}

// Catalog is the AICPA 2017 Trust Services Criteria (points of focus revised
// 2022): all 33 Common Criteria and the A, C, PI and P series. The summaries
// are attest's own paraphrase.
var Catalog = func() []Criterion {
	rows := [][2]string{
		{"CC1.1", "The entity demonstrates a commitment to integrity and ethical values"},
		{"CC1.2", "The board is independent of management and oversees internal control"},
		{"CC1.3", "Management sets structures, reporting lines, authorities and responsibilities"},
		{"CC1.4", "The entity attracts, develops and retains competent people"},
		{"CC1.5", "Individuals are held accountable for their internal-control responsibilities"},
		{"CC2.1", "The entity obtains or generates and uses relevant, quality information"},
		{"CC2.2", "Internal communication of objectives and responsibilities for internal control"},
		{"CC2.3", "Communication with external parties about matters affecting internal control"},
		{"CC3.1", "Objectives are specified clearly enough to identify and assess risks"},
		{"CC3.2", "Risks to objectives are identified and analyzed"},
		{"CC3.3", "The potential for fraud is considered in assessing risks"},
		{"CC3.4", "Changes that could significantly affect internal control are identified and assessed"},
		{"CC4.1", "Ongoing and/or separate evaluations ascertain that controls are present and functioning"},
		{"CC4.2", "Internal-control deficiencies are evaluated and communicated in a timely manner"},
		{"CC5.1", "Control activities are selected and developed to mitigate risks"},
		{"CC5.2", "General control activities over technology are selected and developed"},
		{"CC5.3", "Control activities are deployed through policies and procedures"},
		{"CC6.1", "Logical access security software, infrastructure and architectures protect information assets"},
		{"CC6.2", "New users are registered and authorized before access is granted; access is removed when no longer needed"},
		{"CC6.3", "Access is authorized, modified or removed based on roles, least privilege and segregation of duties"},
		{"CC6.4", "Physical access to facilities and protected assets is restricted"},
		{"CC6.5", "Protections are discontinued only after the ability to read or recover data is removed (disposal)"},
		{"CC6.6", "Logical access measures protect against threats from outside the system boundaries"},
		{"CC6.7", "Transmission, movement and removal of information is restricted and protected"},
		{"CC6.8", "Controls prevent or detect unauthorized or malicious software"},
		{"CC7.1", "Detection and monitoring procedures identify configuration changes and new vulnerabilities"},
		{"CC7.2", "System components are monitored for anomalies indicating malicious acts, disasters or errors"},
		{"CC7.3", "Security events are evaluated to determine whether they are incidents"},
		{"CC7.4", "Identified security incidents are responded to with a defined program"},
		{"CC7.5", "Activities to recover from identified security incidents are developed and carried out"},
		{"CC8.1", "Changes to infrastructure, data, software and procedures are authorized, designed, tested, approved and implemented"},
		{"CC9.1", "Risk-mitigation activities are identified for potential business disruptions"},
		{"CC9.2", "Risks associated with vendors and business partners are assessed and managed"},
		{"A1.1", "Current processing capacity and use are maintained, monitored and evaluated"},
		{"A1.2", "Environmental protections, software, data backup and recovery infrastructure are managed"},
		{"A1.3", "Recovery plan procedures are tested"},
		{"C1.1", "Confidential information is identified and maintained"},
		{"C1.2", "Confidential information is disposed of"},
		{"PI1.1", "Relevant, quality information about processing objectives is obtained or generated"},
		{"PI1.2", "System inputs are complete and accurate"},
		{"PI1.3", "System processing is complete, accurate and timely"},
		{"PI1.4", "Output is complete, accurate, distributed only to intended parties"},
		{"PI1.5", "Inputs, items in processing and outputs are stored completely and accurately"},
		{"P1.1", "Notice is given to data subjects about privacy practices"},
		{"P2.1", "Choices and consent are communicated and obtained"},
		{"P3.1", "Personal information is collected consistent with objectives"},
		{"P3.2", "Explicit consent is obtained where required"},
		{"P4.1", "Personal information is used consistent with objectives"},
		{"P4.2", "Personal information is retained consistent with objectives"},
		{"P4.3", "Personal information is disposed of securely"},
		{"P5.1", "Data subjects can access their personal information"},
		{"P5.2", "Data subjects can correct their personal information"},
		{"P6.1", "Disclosure to third parties happens only with consent"},
		{"P6.2", "Authorized disclosures are recorded"},
		{"P6.3", "Unauthorized disclosures are recorded"},
		{"P6.4", "Commitments are obtained from third parties with access"},
		{"P6.5", "Third parties notify the entity of unauthorized disclosures"},
		{"P6.6", "Affected data subjects and regulators are notified of breaches"},
		{"P6.7", "An accounting of disclosed personal information is provided on request"},
		{"P7.1", "Personal information is kept accurate, complete and relevant"},
		{"P8.1", "Inquiries, complaints and disputes are handled"},
	}
	out := make([]Criterion, len(rows))
	for i, r := range rows {
		out[i] = Criterion{ID: r[0], Summary: r[1], Category: categoryOf(r[0]), Series: seriesOf(r[0])}
	}
	return out
}()

func categoryOf(id string) string {
	for _, p := range []string{"CC", "PI", "A", "C", "P"} {
		if strings.HasPrefix(id, p) {
			return p
		}
	}
	return ""
}

func seriesOf(id string) string {
	if strings.HasPrefix(id, "CC") {
		series, _, _ := strings.Cut(id, ".")
		return series
	}
	return categoryOf(id)
}

// Find returns the criterion with the given id.
func Find(id string) (Criterion, bool) {
	for _, c := range Catalog {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// InScope lists the criteria of Security plus the chosen optional categories.
func InScope(optional []string) []Criterion {
	chosen := map[string]bool{"CC": true}
	for _, k := range optional {
		chosen[k] = true
	}
	var out []Criterion
	for _, c := range Catalog {
		if chosen[c.Category] {
			out = append(out, c)
		}
	}
	return out
}
