package entrasim

// Word lists for the tenant generator. Names are common given names and
// surnames; nothing here identifies a real person.

var firstNames = []string{
	"Adele", "Alex", "Allan", "Amara", "Ana", "Andrea", "Arjun", "Ava", "Ben", "Bianca",
	"Carlos", "Chen", "Chloe", "Christie", "Daniel", "Diego", "Dmitri", "Elena", "Emily", "Emma",
	"Enrico", "Fatima", "Felix", "Fiona", "Gabriel", "Grace", "Hana", "Hannah", "Henrik", "Isabel",
	"Isaac", "Ivan", "Jamal", "James", "Jana", "Javier", "Ji-woo", "Johanna", "Jonas", "Joni",
	"Kai", "Karim", "Kenji", "Lara", "Laura", "Lee", "Leila", "Liam", "Lidia", "Lucas",
	"Lynne", "Maya", "Megan", "Mei", "Miguel", "Miriam", "Mohammed", "Nadia", "Nestor", "Nia",
	"Noah", "Olga", "Omar", "Oscar", "Patti", "Pradeep", "Priya", "Rafael", "Raj", "Rosa",
	"Ryan", "Sakura", "Samir", "Sara", "Sean", "Sofia", "Sven", "Tariq", "Thomas", "Tomas",
	"Uma", "Valentina", "Vikram", "Wei", "Yara", "Yusuf", "Zainab", "Zoe", "Aiko", "Bruno",
}

var lastNames = []string{
	"Adams", "Ahmed", "Alvarez", "Andersen", "Bauer", "Bowen", "Brown", "Campbell", "Castro", "Chen",
	"Costa", "Cruz", "Dasgupta", "Deyoung", "Diaz", "Dubois", "Eriksson", "Fernandes", "Fischer", "Garcia",
	"Gonzalez", "Gupta", "Haddad", "Hansen", "Hernandez", "Hughes", "Ibrahim", "Ito", "Jansen", "Johansson",
	"Johnson", "Kaur", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Martin",
	"Mendoza", "Meyer", "Miller", "Moreau", "Morales", "Muller", "Murphy", "Nakamura", "Nguyen", "Novak",
	"Okafor", "Olsen", "Osei", "Park", "Patel", "Perez", "Petrov", "Popescu", "Quinn", "Ramos",
	"Reyes", "Rossi", "Russo", "Sanchez", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Sokolov",
	"Suzuki", "Tanaka", "Taylor", "Thompson", "Torres", "Tran", "Vance", "Varga", "Wagner", "Walker",
	"Wang", "Weber", "Wilber", "Williams", "Wilson", "Wong", "Yamamoto", "Yilmaz", "Young", "Zhang",
}

var jobTitles = []string{
	"Software Engineer", "Senior Software Engineer", "Product Manager", "Account Executive",
	"Sales Manager", "Marketing Specialist", "Financial Analyst", "HR Generalist",
	"Support Engineer", "Data Analyst", "Designer", "Recruiter", "Operations Manager",
	"Controller", "Legal Counsel", "Office Manager", "Solutions Architect", "QA Engineer",
}

var departments = []string{
	"Engineering", "Product", "Sales", "Marketing", "Finance", "Human Resources",
	"Customer Success", "Operations", "Legal", "IT",
}

var offices = []string{
	"Redmond 18/2101", "Seattle 1/3140", "Boston 4/210", "Chicago 2/115", "London 3/12",
	"Berlin 1/204", "Toronto 6/88", "Sydney 2/41", "Singapore 5/9", "Remote",
}

var guestDomains = []string{
	"fabrikam.com", "tailspintoys.com", "wingtiptoys.com", "northwindtraders.com", "adatum.com",
	"litwareinc.com", "proseware.com", "woodgrovebank.com", "fourthcoffee.com", "alpineskihouse.com",
}

// signInApp is a first-party application that appears in sign-in logs.
type signInApp struct {
	id, name string
}

var signInApps = []signInApp{
	{"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"},
	{"1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"},
	{"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"},
	{"4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"},
	{"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"},
	{"d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"},
	{"de8bc8b5-d9f9-48b1-a8ad-b748da725064", "Graph Explorer"},
}

// signInCity is a sign-in location.
type signInCity struct {
	city, state, country string
	lat, lon             float64
}

var signInCities = []signInCity{
	{"Redmond", "Washington", "US", 47.68, -122.12},
	{"New York", "New York", "US", 40.71, -74.01},
	{"Chicago", "Illinois", "US", 41.88, -87.63},
	{"Toronto", "Ontario", "CA", 43.65, -79.38},
	{"London", "England", "GB", 51.51, -0.13},
	{"Berlin", "Berlin", "DE", 52.52, 13.40},
	{"Paris", "Ile-de-France", "FR", 48.86, 2.35},
	{"Sao Paulo", "Sao Paulo", "BR", -23.55, -46.63},
	{"Lagos", "Lagos", "NG", 6.52, 3.38},
	{"Mumbai", "Maharashtra", "IN", 19.08, 72.88},
	{"Singapore", "Singapore", "SG", 1.35, 103.82},
	{"Sydney", "New South Wales", "AU", -33.87, 151.21},
	{"Moscow", "Moscow", "RU", 55.76, 37.62},
}

var clientApps = []string{"Browser", "Mobile Apps and Desktop clients", "Exchange ActiveSync", "Other clients"}

var riskEventTypes = []string{
	"unfamiliarFeatures", "anonymizedIPAddress", "atypicalTravel", "maliciousIPAddress",
	"passwordSpray", "unlikelyTravel", "newCountry",
}

// methodMix is a set of registered authentication methods with the preferred
// and system-preferred methods that follow from it.
type methodMix struct {
	methods      []string
	preferred    string
	system       []string
	passwordless bool
}

var mfaMixes = []methodMix{
	{[]string{"microsoftAuthenticatorPush", "softwareOneTimePasscode"}, "push", []string{"push"}, false},
	{[]string{"microsoftAuthenticatorPush"}, "push", []string{"push"}, false},
	{[]string{"microsoftAuthenticatorPush", "softwareOneTimePasscode", "mobilePhone"}, "push", []string{"push"}, false},
	{[]string{"mobilePhone"}, "sms", []string{"sms"}, false},
	{[]string{"fido2", "microsoftAuthenticatorPush"}, "push", []string{"Fido2"}, true},
	{[]string{"windowsHelloForBusiness", "microsoftAuthenticatorPush"}, "push", []string{"push"}, true},
	{[]string{"softwareOneTimePasscode", "email"}, "oath", []string{"oath"}, false},
}

var noMfaMixes = []methodMix{
	{[]string{}, "none", []string{}, false},
	{[]string{"email"}, "none", []string{}, false},
}
