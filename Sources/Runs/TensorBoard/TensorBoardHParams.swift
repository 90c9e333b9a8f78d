/// The HParams plugin's summaries, by which TensorBoard's HParams dashboard lists the trials of a
/// sweep: one session per trial, with its swept values and how it ended.
///
/// Each is a `Summary.Value{tag = 1, metadata = 9}` whose `SummaryMetadata{plugin_data = 1}` holds
/// `PluginData{plugin_name = 1: "hparams", content = 2}`, the content a serialized
/// `HParamsPluginData{version = 1: 0, session_start_info = 3 | session_end_info = 4}`. Without an
/// experiment summary TensorBoard derives the experiment (the hyperparameters and the metrics)
/// from the sessions and the scalar tags beside them.
public enum TensorBoardHParams {
    /// A hyperparameter's value: a number, a string or a boolean (`google.protobuf.Value`).
    public enum Value: Sendable, Equatable {
        /// A number (`number_value`): `0.1` for `optimizer.learning_rate=0.1`.
        case number(Double)
        /// Text (`string_value`): `sgd`.
        case string(String)
        /// `true` or `false` (`bool_value`).
        case boolean(Bool)
    }

    /// How a session ended (`tensorboard.hparams.Status`).
    public enum Status: Int64, Sendable {
        /// `STATUS_SUCCESS`: the trial completed.
        case success = 1
        /// `STATUS_FAILURE`: the trial failed.
        case failure = 2
        /// `STATUS_RUNNING`: the session has not ended (a sweep writes end events for ended trials only).
        case running = 3
    }

    /// The event that starts a session with the hyperparameters `hyperparameters`
    /// (`SessionStartInfo{hparams = 1: map<string, Value>, group_name = 4, start_time_secs = 5}`).
    public static func sessionStartEvent(hyperparameters: [(name: String, value: Value)], groupName: String,
                                         wallTime: Double) -> [UInt8] {
        pluginEvent(tag: "_hparams_/session_start_info", wallTime: wallTime) { data in
            data.message(3) { start in
                for (name, value) in hyperparameters {
                    start.message(1) { entry in
                        entry.string(1, name)
                        entry.message(2) { protobufValue in
                            switch value {
                            case .number(let number): protobufValue.double(2, number)
                            case .string(let text): protobufValue.string(3, text)
                            case .boolean(let flag): protobufValue.int64(4, flag ? 1 : 0)
                            }
                        }
                    }
                }
                start.string(4, groupName)
                start.double(5, wallTime)
            }
        }
    }

    /// The event that ends a session (`SessionEndInfo{status = 1, end_time_secs = 2}`).
    public static func sessionEndEvent(status: Status, wallTime: Double) -> [UInt8] {
        pluginEvent(tag: "_hparams_/session_end_info", wallTime: wallTime) { data in
            data.message(4) { end in
                end.int64(1, status.rawValue)
                end.double(2, wallTime)
            }
        }
    }

    /// An `Event{wall_time, summary}` (step 0) with one value tagged `tag` whose metadata carries
    /// the `HParamsPluginData` written by `body`.
    private static func pluginEvent(tag: String, wallTime: Double, body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        // Fields at their default (version 0, step 0) are left out, as protobuf writers do.
        var pluginData = ProtobufWriter()
        body(&pluginData)
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.message(5) { summary in
            summary.message(1) { value in
                value.string(1, tag)
                value.message(9) { metadata in
                    metadata.message(1) { plugin in
                        plugin.string(1, "hparams")
                        plugin.bytes(2, pluginData.bytes)
                    }
                }
            }
        }
        return event.bytes
    }
}
