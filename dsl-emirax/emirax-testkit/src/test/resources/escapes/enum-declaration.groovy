// expect: declaring classes
enum E { A; E() { new File('@MARKER@').text = 'x' } }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
