module rivet.dev/guest/goroutines

go 1.19
