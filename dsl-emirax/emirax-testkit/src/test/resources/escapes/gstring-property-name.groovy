// expect: no variable 'class' is available to rules here
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def c = 'cla' + 'ss'
            def loader = "$c".toString()
            state.x = "${this."$c"}".toString()
            state.done = true
        }
    }
}
