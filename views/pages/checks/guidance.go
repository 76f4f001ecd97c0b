package checks

// Guidance says what to do about a failing check, and where: the check's
// connector declares it.
type Guidance struct {
	// Sentence is what to do, in one sentence.
	Sentence string
	// LinkLabel and URL name the admin page where it is done.
	LinkLabel string
	URL       string
}
