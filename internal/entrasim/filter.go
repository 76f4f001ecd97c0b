package entrasim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The $filter subset the simulator understands: comparisons of a filterable
// property with a literal, joined by "and", optionally parenthesized. Strings
// are single-quoted ('' escapes a quote), booleans are true/false and date-times
// are unquoted RFC 3339. Enumerations and free text support eq, booleans eq and
// ne, date-times eq, ge, gt, le and lt. Anything else is a 400.

// predicate reports whether an item matches one comparison.
type predicate[T any] func(v *T) bool

// filterError is an invalid or unsupported $filter; property names the
// offending property when there is one.
type filterError struct {
	property string
	detail   string
}

func (e *filterError) Error() string { return e.detail }

// filterToken is one lexical token of a $filter expression.
type filterToken struct {
	text   string
	quoted bool // a '...' string literal; text holds the unescaped value
}

func lexFilter(src string) ([]filterToken, error) {
	var toks []filterToken
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, filterToken{text: string(c)})
			i++
		case c == '\'':
			var sb strings.Builder
			i++
			for {
				if i >= len(src) {
					return nil, errors.New("unterminated string literal")
				}
				if src[i] == '\'' {
					if i+1 < len(src) && src[i+1] == '\'' {
						sb.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				sb.WriteByte(src[i])
				i++
			}
			toks = append(toks, filterToken{text: sb.String(), quoted: true})
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t()'", rune(src[j])) {
				j++
			}
			toks = append(toks, filterToken{text: src[i:j]})
			i = j
		}
	}
	return toks, nil
}

// filterParser parses a token stream against one schema.
type filterParser[T any] struct {
	s    *schema[T]
	toks []filterToken
	pos  int
}

// parseFilter compiles src into the predicates that must all hold.
func parseFilter[T any](s *schema[T], src string) ([]predicate[T], error) {
	toks, err := lexFilter(src)
	if err != nil {
		return nil, &filterError{detail: err.Error()}
	}
	p := &filterParser[T]{s: s, toks: toks}
	preds, err := p.conjunction()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, &filterError{detail: fmt.Sprintf("syntax error at '%s'", p.toks[p.pos].text)}
	}
	return preds, nil
}

func (p *filterParser[T]) next() (filterToken, bool) {
	if p.pos >= len(p.toks) {
		return filterToken{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	return t, true
}

func (p *filterParser[T]) peekWord(word string) bool {
	return p.pos < len(p.toks) && !p.toks[p.pos].quoted && strings.EqualFold(p.toks[p.pos].text, word)
}

func (p *filterParser[T]) conjunction() ([]predicate[T], error) {
	preds, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.peekWord("and") {
		p.pos++
		more, err := p.term()
		if err != nil {
			return nil, err
		}
		preds = append(preds, more...)
	}
	if p.peekWord("or") {
		return nil, &filterError{detail: "the simulator supports only 'and' between filter clauses"}
	}
	return preds, nil
}

func (p *filterParser[T]) term() ([]predicate[T], error) {
	if p.pos < len(p.toks) && p.toks[p.pos].text == "(" && !p.toks[p.pos].quoted {
		p.pos++
		preds, err := p.conjunction()
		if err != nil {
			return nil, err
		}
		if t, ok := p.next(); !ok || t.quoted || t.text != ")" {
			return nil, &filterError{detail: "syntax error: ')' expected"}
		}
		return preds, nil
	}
	pred, err := p.comparison()
	if err != nil {
		return nil, err
	}
	return []predicate[T]{pred}, nil
}

func (p *filterParser[T]) comparison() (predicate[T], error) {
	name, ok := p.next()
	if !ok || name.quoted {
		return nil, &filterError{detail: "syntax error: property name expected"}
	}
	i, found := p.s.lookup(name.text)
	if !found || p.s.props[i].filter == nil {
		return nil, &filterError{property: name.text, detail: fmt.Sprintf("property '%s' cannot be filtered", name.text)}
	}
	prop := p.s.props[i].name
	f := p.s.props[i].filter
	op, ok := p.next()
	if !ok || op.quoted {
		return nil, &filterError{property: prop, detail: "syntax error: operator expected"}
	}
	lit, ok := p.next()
	if !ok {
		return nil, &filterError{property: prop, detail: "syntax error: value expected"}
	}
	opName := strings.ToLower(op.text)
	switch f.kind {
	case kindBool:
		return boolPredicate(f, prop, opName, lit)
	case kindTime:
		return timePredicate(f, prop, opName, lit)
	default:
		return textPredicate(f, prop, opName, lit)
	}
}

func unsupportedOperator(prop, op string) error {
	return &filterError{property: prop, detail: fmt.Sprintf("operator '%s' is not supported for property '%s'", op, prop)}
}

func boolPredicate[T any](f *filterable[T], prop, op string, lit filterToken) (predicate[T], error) {
	if lit.quoted || (lit.text != "true" && lit.text != "false") {
		return nil, &filterError{property: prop, detail: fmt.Sprintf("property '%s' needs true or false", prop)}
	}
	want := lit.text == "true"
	switch op {
	case "eq":
		return func(v *T) bool { return f.flag(v) == want }, nil
	case "ne":
		return func(v *T) bool { return f.flag(v) != want }, nil
	default:
		return nil, unsupportedOperator(prop, op)
	}
}

func textPredicate[T any](f *filterable[T], prop, op string, lit filterToken) (predicate[T], error) {
	if op != "eq" {
		return nil, unsupportedOperator(prop, op)
	}
	if !lit.quoted {
		return nil, &filterError{property: prop, detail: fmt.Sprintf("property '%s' needs a quoted string", prop)}
	}
	want := lit.text
	if f.enum != nil {
		if !slices.Contains(f.enum, want) {
			return nil, &filterError{property: prop, detail: fmt.Sprintf("the string '%s' is not a valid enumeration type constant", want)}
		}
		return func(v *T) bool { return f.text(v) == want }, nil
	}
	return func(v *T) bool { return strings.EqualFold(f.text(v), want) }, nil
}

func timePredicate[T any](f *filterable[T], prop, op string, lit filterToken) (predicate[T], error) {
	when, err := time.Parse(time.RFC3339Nano, lit.text)
	if lit.quoted || err != nil {
		return nil, &filterError{property: prop, detail: fmt.Sprintf("property '%s' needs an unquoted RFC 3339 date-time", prop)}
	}
	switch op {
	case "eq":
		return func(v *T) bool { return f.when(v).Equal(when) }, nil
	case "ge":
		return func(v *T) bool { return !f.when(v).Before(when) }, nil
	case "gt":
		return func(v *T) bool { return f.when(v).After(when) }, nil
	case "le":
		return func(v *T) bool { return !f.when(v).After(when) }, nil
	case "lt":
		return func(v *T) bool { return f.when(v).Before(when) }, nil
	default:
		return nil, unsupportedOperator(prop, op)
	}
}
