// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            new GroovyClassLoader().parseClass("class X {}")
            state.done = true
        }
    }
}
