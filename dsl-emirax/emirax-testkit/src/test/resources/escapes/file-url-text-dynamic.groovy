// expect: may not call 'toURL'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def m = 'to' + 'URL'
            state.x = 'file:///etc/hostname'."$m"()
            state.done = true
        }
    }
}
