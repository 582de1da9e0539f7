package main

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

func worker(id int, jobs <-chan int, results chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		time.Sleep(time.Duration(j) * time.Millisecond)
		results <- j * j
	}
}

func main() {
	jobs := make(chan int, 20)
	results := make(chan int, 20)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for i := 1; i <= 12; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(results)
	sum := 0
	for r := range results {
		sum += r
	}
	fmt.Println("sum of squares:", sum)

	start := time.Now()
	never := make(chan int)
	select {
	case <-never:
		fmt.Println("impossible")
	case <-time.After(50 * time.Millisecond):
		fmt.Println("timed out after >= 50ms:", time.Since(start) >= 50*time.Millisecond)
	}

	done := make(chan string)
	go func() {
		time.Sleep(20 * time.Millisecond)
		done <- "finished"
	}()
	select {
	case msg := <-done:
		fmt.Println("got", msg)
	case <-time.After(5 * time.Second):
		fmt.Println("too slow")
	}

	ticker := time.NewTicker(10 * time.Millisecond)
	ticks := 0
	for range ticker.C {
		ticks++
		if ticks == 5 {
			ticker.Stop()
			break
		}
	}
	fmt.Println("ticks:", ticks)

	var mu sync.Mutex
	counter := 0
	var wg2 sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for k := 0; k < 100; k++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
		}()
	}
	wg2.Wait()
	fmt.Println("counter:", counter)

	// os.Pipe files go through the netpoller: non-blocking, edge-triggered epoll.
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Println("pipe:", err)
		return
	}
	go func() {
		for i := 0; i < 5; i++ {
			time.Sleep(5 * time.Millisecond)
			fmt.Fprintf(w, "line %d\n", i)
		}
		w.Close()
	}()
	sc := bufio.NewScanner(r)
	lines := 0
	for sc.Scan() {
		lines++
		fmt.Println("read:", sc.Text())
	}
	fmt.Println("lines:", lines, "err:", sc.Err())
	r.Close()

	r2, w2, _ := os.Pipe()
	r2.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	buf := make([]byte, 8)
	_, err = r2.Read(buf)
	fmt.Println("deadline:", os.IsTimeout(err))
	w2.Close()
	r2.Close()
}
