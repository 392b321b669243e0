// expect: may not call 'toURL'
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def u = 'file:///etc/hostname'.toURL()
            state.x = u
            state.done = true
        }
    }
}
