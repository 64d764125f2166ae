//! Command arguments: any `name=value` pairs for any command are accepted or refused with an
//! error naming an argument, and every typed reading of them is an answer or such an error.
#![no_main]

use code42_plugin::Error;
use code42_plugin::args::Args;
use code42_plugin::manifest::COMMANDS;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, Vec<(String, String)>)| {
    let (which, pairs) = input;
    let spec = &COMMANDS[which as usize % COMMANDS.len()];
    // Half the time use the command's own argument names, so validation gets past the names.
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| match spec.args.get(i % (spec.args.len() + 1)) {
            Some(arg) if i % 2 == 0 => (arg.name.to_string(), value),
            _ => (name, value),
        })
        .collect();
    match Args::validate(spec, pairs) {
        Ok(args) => {
            for arg in spec.args {
                for result in [args.boolean(arg.name).map(drop), args.integer(arg.name).map(drop), args.date(arg.name).map(drop)] {
                    if let Err(e) = result {
                        assert!(matches!(e, Error::InvalidArgument { .. }), "{e:?}");
                    }
                }
                let _ = args.list(arg.name);
            }
        }
        Err(e) => assert!(matches!(e, Error::InvalidArgument { .. }), "{e:?}"),
    }
});
