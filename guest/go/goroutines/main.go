// goroutines: Rivet guest test in Go. Goroutines and channels (unbuffered, buffered, closed),
// sync.WaitGroup, sync.Mutex, sync/atomic, select with a timeout, time.Sleep and timers, a
// worker pool pipeline, runtime.GC under allocation, and a recovered panic. The Go runtime
// itself exercises clone threads, futexes, signals (preemption via SIGURG), mmap and
// sched_getaffinity. Output is deterministic; prints "ok goroutines" and exits 0 on success.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var failures int

func check(cond bool, format string, args ...interface{}) {
	if !cond {
		failures++
		fmt.Printf("FAIL "+format+"\n", args...)
	}
}

func main() {
	fmt.Printf("hello from Go on %s/%s, args=%d\n", runtime.GOOS, runtime.GOARCH, len(os.Args)-1)

	// 1. unbuffered ping-pong
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v * 2
		}
		close(pong)
	}()
	sum := 0
	for i := 1; i <= 100; i++ {
		ping <- i
		sum += <-pong
	}
	close(ping)
	_, open := <-pong
	check(!open, "pong should be closed")
	fmt.Printf("ping-pong sum: %d\n", sum)
	check(sum == 10100, "ping-pong sum %d", sum)

	// 2. WaitGroup + Mutex + atomic: 16 goroutines x 10000 increments
	var wg sync.WaitGroup
	var mu sync.Mutex
	var locked int
	var atomicCount int64
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10000; i++ {
				mu.Lock()
				locked++
				mu.Unlock()
				atomic.AddInt64(&atomicCount, 1)
				if i%1000 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	fmt.Printf("mutex counter: %d, atomic counter: %d\n", locked, atomic.LoadInt64(&atomicCount))
	check(locked == 160000 && atomicCount == 160000, "counters %d %d", locked, atomicCount)

	// 3. pipeline: generator -> 4 squaring workers -> collector (buffered channels)
	jobs := make(chan int, 8)
	results := make(chan int, 8)
	go func() {
		for i := 1; i <= 1000; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	var workers sync.WaitGroup
	for w := 0; w < 4; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				results <- j * j
			}
		}()
	}
	go func() { workers.Wait(); close(results) }()
	total := 0
	for r := range results {
		total += r
	}
	fmt.Printf("pipeline sum of squares: %d\n", total)
	check(total == 333833500, "pipeline %d", total)

	// 4. select with a timeout: nothing arrives on never, the timer fires
	never := make(chan struct{})
	start := time.Now()
	select {
	case <-never:
		check(false, "received from never")
	case <-time.After(30 * time.Millisecond):
		fmt.Println("select: timed out as expected")
	}
	check(time.Since(start) >= 30*time.Millisecond, "timeout too early: %v", time.Since(start))

	// select picks the ready channel over the timeout
	ready := make(chan string, 1)
	ready <- "ready"
	select {
	case s := <-ready:
		fmt.Println("select: got", s)
	case <-time.After(5 * time.Second):
		check(false, "select timed out although a value was ready")
	}

	// 5. time.Sleep and a ticker
	t0 := time.Now()
	time.Sleep(20 * time.Millisecond)
	slept := time.Since(t0)
	check(slept >= 20*time.Millisecond && slept < 5*time.Second, "sleep took %v", slept)
	ticker := time.NewTicker(5 * time.Millisecond)
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 3 {
			break
		}
	}
	ticker.Stop()
	fmt.Printf("sleep ok, ticker ticked %d times\n", ticks)

	// 6. results from many goroutines, sorted for a deterministic order
	out := make(chan string, 10)
	for i := 0; i < 10; i++ {
		go func(i int) {
			time.Sleep(time.Duration(10-i) * time.Millisecond)
			out <- fmt.Sprintf("g%02d", i)
		}(i)
	}
	names := make([]string, 0, 10)
	for i := 0; i < 10; i++ {
		names = append(names, <-out)
	}
	sort.Strings(names)
	fmt.Println("collected:", strings.Join(names, ","))

	// 7. allocation-heavy work with explicit GCs, hashed
	h := sha256.New()
	var keep [][]byte
	for i := 0; i < 2000; i++ {
		b := make([]byte, 1024+i%4096)
		for j := range b {
			b[j] = byte(i + j)
		}
		h.Write(b)
		if i%100 == 0 {
			keep = append(keep, b)
			runtime.GC()
		}
	}
	fmt.Printf("sha256 of generated data: %x (kept %d)\n", h.Sum(nil)[:8], len(keep))

	// 8. panics: recovered, including a runtime error (nil map write) and a nil pointer (SIGSEGV
	// turned into a panic by the Go runtime's signal handler)
	fmt.Println("recover:", catch(func() { panic(errors.New("boom")) }))
	fmt.Println("recover:", catch(func() {
		var m map[string]int
		m["x"] = 1
	}))
	fmt.Println("recover:", catch(func() {
		var p *struct{ x int }
		p.x = 1
	}))

	// 9. sync.Once and a condition variable
	var once sync.Once
	calls := 0
	var onceWG sync.WaitGroup
	for i := 0; i < 8; i++ {
		onceWG.Add(1)
		go func() { defer onceWG.Done(); once.Do(func() { calls++ }) }()
	}
	onceWG.Wait()
	cond := sync.NewCond(&mu)
	readyFlag := false
	go func() {
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		readyFlag = true
		cond.Broadcast()
		mu.Unlock()
	}()
	mu.Lock()
	for !readyFlag {
		cond.Wait()
	}
	mu.Unlock()
	fmt.Printf("once ran %d time(s), cond signalled\n", calls)

	if failures > 0 {
		fmt.Printf("FAILED goroutines: %d checks\n", failures)
		os.Exit(1)
	}
	fmt.Println("ok goroutines")
}

func catch(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return "no panic"
}
