package mailstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// SearchOptions tune [Store.Search].
type SearchOptions struct {
	// Folder limits the search to one folder; "" searches all.
	Folder string
	// Limit is the most rows returned, newest first; 0 means 100.
	Limit int
	// Decrypt, when set, lets the search look into the bodies of encrypted messages: it receives a message's
	// raw bytes and returns its text (decrypting in memory). The text is matched and dropped; it is never
	// written anywhere. Nil means encrypted messages are matched on their headers only.
	Decrypt func(raw []byte) (text string, err error)
	// MaxDecrypt bounds how many encrypted messages one search decrypts, the newest first; 0 means 200. At a
	// few milliseconds per message, the default keeps a search under a second or so on a 2-core machine.
	MaxDecrypt int
}

func (o SearchOptions) withDefaults() SearchOptions {
	if o.Limit <= 0 {
		o.Limit = 100
	}
	if o.MaxDecrypt <= 0 {
		o.MaxDecrypt = 200
	}
	return o
}

// SearchResult is what a search found.
type SearchResult struct {
	Rows      []Row // newest first
	Decrypted int   // encrypted messages whose text was searched
	Failed    int   // encrypted messages Decrypt could not open
	Skipped   int   // encrypted messages not searched because of MaxDecrypt
}

// Search finds messages containing every word of query (each word also matches as a prefix: "secur" finds
// "security") in the subject, sender, recipients or body. When more than opts.Limit messages match, the
// opts.Limit most recently stored are returned (the full-text index yields them in storing order without a
// sort, which keeps a search on a common word fast), ordered by date, newest first. Punctuation and FTS operators in query are ignored;
// case and accents do not matter. Bodies of encrypted messages are searched only through opts.Decrypt.
func (s *Store) Search(ctx context.Context, query string, opts SearchOptions) (SearchResult, error) {
	opts = opts.withDefaults()
	var res SearchResult
	words := searchWords(query)
	if len(words) == 0 {
		return res, nil
	}
	var fid string
	if opts.Folder != "" {
		var err error
		if fid, err = folderID(ctx, s.db, opts.Folder); err != nil {
			return res, err
		}
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"*`
	}
	where, args := "fts MATCH ?", []any{strings.Join(quoted, " ")}
	if fid != "" {
		where, args = where+" AND m.folder = ?", append(args, fid)
	}
	rows, err := s.queryRows(ctx, `SELECT `+rowColumns+` FROM fts JOIN messages m ON m.n = fts.rowid
		JOIN folders f ON f.id = m.folder WHERE `+where+` ORDER BY fts.rowid DESC LIMIT ?`,
		append(args, opts.Limit)...)
	if err != nil {
		return res, err
	}
	res.Rows = rows
	sortByDate(res.Rows)
	if opts.Decrypt != nil {
		if err := s.searchEncrypted(ctx, words, fid, opts, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// searchEncrypted decrypts the newest encrypted messages in memory, one at a time, and adds those whose text
// contains every word.
func (s *Store) searchEncrypted(ctx context.Context, words []string, fid string, opts SearchOptions, res *SearchResult) error {
	found := make(map[string]bool, len(res.Rows))
	for _, r := range res.Rows {
		found[r.ID] = true
	}
	countQ, candQ := encryptedQueries(fid != "")
	args := []any{}
	if fid != "" {
		args = append(args, fid)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, countQ, args...).Scan(&total); err != nil {
		return fmt.Errorf("mailstore: search: %w", err)
	}
	cands, err := s.queryRows(ctx, candQ, append(args, opts.MaxDecrypt)...)
	if err != nil {
		return err
	}
	res.Skipped = total - len(cands)
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("mailstore: search: %w", err)
		}
		if found[c.ID] {
			continue
		}
		raw, err := s.fs.ReadFile(s.emlPath(c.ID))
		if err != nil {
			res.Failed++
			continue
		}
		text, err := opts.Decrypt(raw)
		if err != nil {
			res.Failed++
			continue
		}
		res.Decrypted++
		if containsAll(text, words) {
			res.Rows = append(res.Rows, c)
			found[c.ID] = true
		}
	}
	sortByDate(res.Rows)
	if len(res.Rows) > opts.Limit {
		res.Rows = res.Rows[:opts.Limit]
	}
	return nil
}

// encryptedQueries returns the queries that count the encrypted messages (of one folder, or of all) and pick
// the newest of them; both are answered from the partial indexes of schema 3, which hold only encrypted rows.
func encryptedQueries(inFolder bool) (count, candidates string) {
	where := "m.encrypted = 1"
	if inFolder {
		where += " AND m.folder = ?"
	}
	return `SELECT count(*) FROM messages m WHERE ` + where,
		`SELECT ` + rowColumns + ` FROM messages m JOIN folders f ON f.id = m.folder WHERE ` + where +
			` ORDER BY m.date DESC, m.id DESC LIMIT ?`
}

// sortByDate orders rows newest first, ties by id.
func sortByDate(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.ID > b.ID
	})
}

// fold lower-cases and removes accents, as the index's unicode61 tokenizer with remove_diacritics does.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// searchWords splits a query into folded words of letters and digits.
func searchWords(q string) []string {
	return strings.FieldsFunc(fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// containsAll reports whether every word is a prefix of some word of text.
func containsAll(text string, words []string) bool {
	tokens := searchWords(text)
	for _, w := range words {
		ok := false
		for _, t := range tokens {
			if strings.HasPrefix(t, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
