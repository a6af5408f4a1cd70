/**
 * What a lesson shows: plots ({@link convkit.display.Plot}), images and grids with {@code GT:}/{@code PR:} titles,
 * tables ({@link convkit.display.Table}) and the progress bar, in the notebook or as text outside one.
 */
package convkit.display;
