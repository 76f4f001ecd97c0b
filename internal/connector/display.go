package connector

import "encoding/json"

// Item is one label/value pair a page shows about a connection's settings.
type Item struct {
	Label string
	Value string
}

// Display is how a connector shows a connection's settings. Pages never
// decode settings themselves.
type Display struct {
	// Summary is the short line under a connection's name in lists (the
	// account it connects).
	Summary string
	// Column is the one detail a list shows in a column of its own; its
	// Label heads the column (a connector returns it for empty settings
	// too).
	Column Item
	// Details are the rows of the connection page.
	Details []Item
}

// Displayer turns a connection's stored settings into its Display.
type Displayer interface {
	Display(settings json.RawMessage) Display
}
