package queue

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The journal is where new messages are written: append-only segment files
// journal-<n>.log, each a sequence of records
//
//	magic uint32 | meta length uint32 | body length uint64 | CRC-32C of meta and body
//	meta (JSON) | body
//
// Concurrent Enqueues share fsyncs (group commit): each appends its record
// and waits until an fdatasync that started after its append has finished;
// one fdatasync makes a whole batch durable, and no file is created per
// message. A record is acknowledged only after that fdatasync, and records
// are appended in order, so a crash can leave only unacknowledged records
// torn, at the end: reading stops at the first incomplete or damaged one.
// Each Open starts a new segment, so records never follow a torn tail.
// When an fdatasync fails, no record of that segment that was not durable
// before it is acknowledged (the kernel may have dropped those pages, and
// a second fsync of the file reports success), and the next append starts
// a new segment; no segment is rotated under a running fdatasync.
//
// A message leaves the journal when it is finished (a tombstone in
// done.log) or when its state first changes (it is then copied to its own
// <id>.msg and <id>.json files, which take precedence over the record). A
// segment other than the one being written is removed once none of its
// messages is left in it.

const (
	journalPrefix = "journal-"
	journalExt    = ".log"
	journalMagic  = 0x54514a31 // "TQJ1"
	journalHeader = 20
	segmentMax    = 64 << 20 // a new segment is started past this size
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// failure is a failed fdatasync of a segment.
type failure struct {
	durable uint64 // appends made durable before it
	err     error
}

// jloc is where a message's body lies in the journal.
type jloc struct {
	seg  int
	off  int64 // of the body
	size int64
}

type journal struct {
	dir string

	mu      sync.Mutex
	cond    *sync.Cond
	f       *os.File // the segment being written
	seg     int
	size    int64
	live    map[int]int // segment -> messages still in it
	written uint64      // appends so far
	synced  uint64      // appends made durable
	syncing bool
	err     error // a failed write or fdatasync: the segment is abandoned
	// failed lists the segments an fdatasync of which failed, with the
	// append count made durable before it: none of their later records
	// may be acknowledged (after a failed fdatasync the kernel may have
	// dropped their pages, and a later fdatasync of the same file reports
	// success; and reading stops at the first damaged record).
	failed map[int]failure
	max    int64 // segment size past which a new one is started
	syncs  int   // fdatasyncs run by append, for tests
	// sync makes a segment's appended records durable (fdatasync);
	// tests replace it to delay or fail it.
	sync func(*os.File) error
}

func segName(seg int) string { return journalPrefix + strconv.Itoa(seg) + journalExt }

// segments lists the journal's segment numbers, in order.
func segments(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	var out []int
	for _, e := range entries {
		s, ok := strings.CutPrefix(e.Name(), journalPrefix)
		if !ok {
			continue
		}
		s, ok = strings.CutSuffix(s, journalExt)
		if n, err := strconv.Atoi(s); ok && err == nil && n >= 0 {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out, nil
}

// readSegment calls fn for each complete record of a segment, in order.
func readSegment(path string, seg int, fn func(m Meta, loc jloc)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	var off int64
	var hdr [journalHeader]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil // end, or a torn header: never acknowledged
		}
		if binary.BigEndian.Uint32(hdr[0:]) != journalMagic {
			return nil
		}
		ml, bl := int64(binary.BigEndian.Uint32(hdr[4:])), int64(binary.BigEndian.Uint64(hdr[8:]))
		if ml > 1<<20 || bl > 1<<40 {
			return nil
		}
		buf := make([]byte, ml+bl)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil
		}
		if crc32.Checksum(buf, castagnoli) != binary.BigEndian.Uint32(hdr[16:]) {
			return nil
		}
		var m Meta
		if err := json.Unmarshal(buf[:ml], &m); err != nil || !validID(m.ID) {
			return nil
		}
		fn(m, jloc{seg: seg, off: off + journalHeader + ml, size: bl})
		off += journalHeader + ml + bl
	}
}

// openJournal starts a new segment after the existing ones (which the
// caller has read).
func openJournal(dir string, live map[int]int, last int) (*journal, error) {
	j := &journal{dir: dir, live: live, seg: last, max: segmentMax, sync: fdatasync, failed: map[int]failure{}}
	j.cond = sync.NewCond(&j.mu)
	if err := j.rotate(); err != nil {
		return nil, err
	}
	return j, nil
}

// rotate makes the segment being written durable, starts the next one and
// removes the previous one if it holds no message. Called with mu held and
// no fdatasync running (or before the journal is shared).
func (j *journal) rotate() error {
	old, oldSeg := j.f, j.seg
	if old != nil {
		j.syncAll()
	}
	f, err := os.OpenFile(filepath.Join(j.dir, segName(j.seg+1)), os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("queue: journal: %w", err)
	}
	if err := syncDir(j.dir); err != nil {
		f.Close()
		return err
	}
	j.f, j.seg, j.size, j.err = f, j.seg+1, 0, nil
	if old != nil {
		old.Close()
		if j.live[oldSeg] <= 0 {
			delete(j.live, oldSeg)
			os.Remove(filepath.Join(j.dir, segName(oldSeg)))
		}
	}
	return nil
}

// syncAll makes every record of the segment being written durable, or
// marks the segment failed. Called with mu held and no fdatasync running.
func (j *journal) syncAll() {
	if _, bad := j.failed[j.seg]; bad {
		return // what it holds beyond the failure is lost anyway
	}
	if err := j.f.Sync(); err != nil {
		j.err = err
		j.failed[j.seg] = failure{durable: j.synced, err: err}
		return
	}
	j.synced = j.written
}

// append writes one record and returns once it is durable.
func (j *journal) append(meta, body []byte) (jloc, error) {
	rec := make([]byte, journalHeader, journalHeader+len(meta)+len(body))
	binary.BigEndian.PutUint32(rec[0:], journalMagic)
	binary.BigEndian.PutUint32(rec[4:], uint32(len(meta)))
	binary.BigEndian.PutUint64(rec[8:], uint64(len(body)))
	rec = append(append(rec, meta...), body...)
	binary.BigEndian.PutUint32(rec[16:], crc32.Checksum(rec[journalHeader:], castagnoli))

	j.mu.Lock()
	defer j.mu.Unlock()
	for {
		if j.f == nil {
			return jloc{}, ErrClosed
		}
		if j.size < j.max && j.err == nil {
			break
		}
		// Never rotate under a running fdatasync: its outcome decides
		// for the records of the segment (a second fsync of a file whose
		// writeback failed reports success).
		if j.syncing {
			j.cond.Wait()
			continue
		}
		if err := j.rotate(); err != nil {
			return jloc{}, err
		}
	}
	f, seg := j.f, j.seg
	if _, err := f.Write(rec); err != nil {
		// The segment may now hold a partial record: write no more to it.
		j.err = err
		return jloc{}, fmt.Errorf("queue: journal: %w", err)
	}
	loc := jloc{seg: seg, off: j.size + journalHeader + int64(len(meta)), size: int64(len(body))}
	j.size += int64(len(rec))
	j.live[seg]++
	j.written++
	mine := j.written
	// Group commit: one fdatasync covers every record appended before it
	// started; whoever finds none running starts the next one.
	for {
		if fl, bad := j.failed[seg]; bad && mine > fl.durable {
			j.drop(seg)
			return jloc{}, fmt.Errorf("queue: journal: %w", fl.err)
		}
		if j.synced >= mine {
			// (A rotation or close meanwhile may have synced it.)
			return loc, nil
		}
		if j.f != f {
			// Rotated or closed, neither of which leaves a record
			// neither durable nor failed; kept as a safeguard.
			j.drop(seg)
			return jloc{}, ErrClosed
		}
		if j.syncing {
			j.cond.Wait()
			continue
		}
		j.syncing = true
		durable, target := j.synced, j.written
		j.mu.Unlock()
		err := j.sync(f)
		j.mu.Lock()
		j.syncing = false
		j.syncs++
		j.cond.Broadcast()
		if err != nil {
			// Every record of the segment not durable before this
			// fdatasync fails, those of the waiting Enqueues included.
			j.err = err
			j.failed[seg] = failure{durable: durable, err: err}
			continue
		}
		if target > j.synced {
			j.synced = target
		}
	}
}

// open returns a reader of a message's body.
func (j *journal) open(loc jloc) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(j.dir, segName(loc.seg)))
	if err != nil {
		return nil, fmt.Errorf("queue: the journal segment is unreadable: %w", err)
	}
	return readCloser{io.NewSectionReader(f, loc.off, loc.size), f}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// release records that a message has left segment seg, and removes the
// segment when it was the last one in it and the segment is not being
// written.
func (j *journal) release(seg int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.drop(seg)
}

// drop is release with mu held.
func (j *journal) drop(seg int) {
	j.live[seg]--
	if j.live[seg] <= 0 && (j.f == nil || seg != j.seg) {
		delete(j.live, seg)
		os.Remove(filepath.Join(j.dir, segName(seg)))
	}
}

// close stops writing; it waits for a running fdatasync.
func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.syncing {
		j.cond.Wait()
	}
	if j.f == nil {
		return nil
	}
	var err error
	if _, bad := j.failed[j.seg]; !bad {
		j.syncAll()
		if fl, bad := j.failed[j.seg]; bad {
			err = fl.err
		}
	}
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	j.cond.Broadcast()
	if j.live[j.seg] <= 0 {
		delete(j.live, j.seg)
		os.Remove(filepath.Join(j.dir, segName(j.seg)))
	}
	if err != nil {
		return fmt.Errorf("queue: journal: %w", err)
	}
	return nil
}
