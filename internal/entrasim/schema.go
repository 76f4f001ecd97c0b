package entrasim

import (
	"strings"
	"time"
)

// valueKind is the type of a filterable property.
type valueKind int

const (
	kindString valueKind = iota
	kindBool
	kindTime
)

// property is one Graph property of entity type T: how it is encoded, whether
// Graph returns it without $select, and how $filter reads it.
type property[T any] struct {
	name      string
	byDefault bool
	encode    func(b []byte, v *T) []byte
	// omit reports that the property is left out of v's JSON entirely (Graph
	// omits signInActivity for users who never signed in).
	omit func(v *T) bool
	// filter makes the property usable in $filter; nil means not filterable.
	filter *filterable[T]
}

// filterable describes how $filter compares a property.
type filterable[T any] struct {
	kind valueKind
	// enum lists the valid values of an enumeration; nil means free text,
	// compared case-insensitively.
	enum []string
	text func(v *T) string
	flag func(v *T) bool
	when func(v *T) time.Time
}

// schema is a Graph entity type: its properties in serialization order.
type schema[T any] struct {
	// resource names the type in directory error messages ("User").
	resource string
	// typeName names the type in OData error messages ("microsoft.graph.user").
	typeName string
	props    []property[T]
	keys     []string // `"name":` per property
	index    map[string]int
	defaults []int
}

func newSchema[T any](resource, typeName string, props []property[T]) *schema[T] {
	s := &schema[T]{resource: resource, typeName: typeName, props: props, index: make(map[string]int, len(props))}
	for i, p := range props {
		s.keys = append(s.keys, `"`+p.name+`":`)
		s.index[strings.ToLower(p.name)] = i
		if p.byDefault {
			s.defaults = append(s.defaults, i)
		}
	}
	return s
}

// lookup finds a property by its case-insensitive name.
func (s *schema[T]) lookup(name string) (int, bool) {
	i, ok := s.index[strings.ToLower(name)]
	return i, ok
}

// encode appends v as a JSON object of the selected properties (indexes in
// schema order).
func (s *schema[T]) encode(b []byte, v *T, sel []int) []byte {
	b = append(b, '{')
	first := true
	for _, i := range sel {
		p := &s.props[i]
		if p.omit != nil && p.omit(v) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, s.keys[i]...)
		b = p.encode(b, v)
	}
	return append(b, '}')
}
