//! Which elements of a Live set the merge treats specially, by name.

/// View state and bookkeeping Live rewrites on almost every save (selection, scroll and zoom,
/// window sizes, fold states, LOM ids): changed on both sides, this side's value is kept without
/// a conflict. None of it is music, and the model (`formats::als`) never reads it.
pub(super) fn is_view_state(name: &[u8]) -> bool {
    matches!(
        name,
        b"LomId"
            | b"LomIdView"
            | b"ViewData"
            | b"IsContentSelectedInDocument"
            | b"IsContentSelected"
            | b"PreferredContentViewMode"
            | b"SelectedDevice"
            | b"SelectedEnvelope"
            | b"LastSelectedTimeableIndex"
            | b"LastSelectedClipEnvelopeIndex"
            | b"ViewStateDetailIsSample"
            | b"ClientSize"
            | b"IsExpanded"
            | b"IsFolded"
            | b"TrackUnfolded"
            | b"ViewStates"
            | b"SequencerNavigator"
            | b"TimeSelection"
            | b"HighlightedTrackIndex"
            | b"OverwriteProtectionNumber"
            | b"ChooserBar"
            | b"ShowVideoWindow"
            | b"VideoWindowRect"
            | b"TrackHeaderWidth"
            | b"ViewStateArrangerHasDetail"
            | b"ViewStateSessionHasDetail"
            | b"ViewStateFxSlotCount"
            | b"ViewStateSessionMixerHeight"
            | b"ViewStateSesstionTrackWidth"
            | b"IsContentSplitterOpen"
            | b"IsExpressionSplitterOpen"
            | b"DetailClipKeyMidis"
            | b"CurrentZoom"
            | b"ScrollerTimePreserver"
            | b"ClipEnvelopeChooserViewState"
            | b"SavedPlayingSlot"
            | b"SavedPlayingOffset"
            | b"AreTakeLanesFolded"
            | b"ShouldShowPresetName"
            | b"IsContentExpanded"
    )
}

/// Elements whose parts belong together: changed on both sides, they are one conflict and are
/// never merged part by part (a sample reference's path elements, a plug-in's state, MIDI notes).
/// Any element listing automation or note events (`FloatEvent`, `MidiNoteEvent`, …) is treated the
/// same way (see [`is_event_list`]).
pub(super) fn is_atomic(name: &[u8]) -> bool {
    matches!(
        name,
        b"Notes"
            | b"KeyTracks"
            | b"Buffer"
            | b"ProcessorState"
            | b"PluginDesc"
            | b"SampleRef"
            | b"FileRef"
            | b"RelativePath"
            | b"WarpMarkers"
            | b"Data"
            | b"ParameterSettings"
    )
}

/// Whether an element's children are automation or note events: a sequence in time whose points
/// make one curve or one phrase.
pub(super) fn is_event_list<'a>(mut child_names: impl Iterator<Item = &'a [u8]>) -> bool {
    child_names.any(|n| n.ends_with(b"Event"))
}

/// The elements a parameter element holds: the element whose child one of these is, is a
/// parameter (its `Manual` value, its automation and modulation targets).
pub(super) fn is_parameter_part(name: &[u8]) -> bool {
    matches!(
        name,
        b"Manual"
            | b"ArrangerAutomation"
            | b"AutomationTarget"
            | b"ModulationTarget"
            | b"MidiControllerRange"
            | b"MidiCCOnOffThresholds"
    )
}

/// The elements of a track holding the pointee ids Live allocates from `NextPointeeId`.
pub(super) fn is_pointee(name: &[u8]) -> bool {
    name == b"Pointee" || (name.ends_with(b"Target") && name != b"Target")
}

/// The kinds of track in `LiveSet/Tracks`.
pub(super) fn is_track(name: &[u8]) -> bool {
    matches!(
        name,
        b"AudioTrack" | b"MidiTrack" | b"GroupTrack" | b"ReturnTrack"
    )
}
