/**
 * The galaxy project of seed 000: synthetic survey galaxies painted from physical profiles, Galaxy10 DECals when it is
 * in the cache, the project's models by name, and its accuracy table next to the seed's.
 */
package convkit.galaxy;
