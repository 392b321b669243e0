// expect: annotations are not available
@GrabResolver(name='evil', root='http://127.0.0.1:1/')
@Grab('evil:evil:1')
import java.util.List

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
